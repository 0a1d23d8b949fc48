import { Inject, Injectable } from '@nestjs/common';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@maintwatch/observability';

/** The notifier's metrics (on /metrics). */
@Injectable()
export class NotifierMetrics {
  /** Requests to destinations by outcome: sent, retry, unknown (in doubt), rejected; plus dead (given up). */
  readonly deliveries: Counter<'destination' | 'outcome'>;
  /** From taking the event in to the destination accepting the message. */
  readonly latency: Histogram<'destination'>;
  /** Deliveries given up on (a dead-letter record each). */
  readonly deadLetters: Counter<'destination'>;
  /** In-doubt deliveries resolved: found (already posted), not-found (posted now), resent (webhook, marked). */
  readonly inDoubt: Counter<'destination' | 'resolution'>;
  /** Deliveries waiting per destination. */
  readonly queued: Gauge<'destination'>;
  /** Events taken in, by type and whether any route matched. */
  readonly events: Counter<'type' | 'routed'>;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.deliveries = metrics.counter({ name: 'notifier_deliveries_total', help: 'Delivery attempts by destination and outcome (sent, retry, unknown, rejected, dead)', labelNames: ['destination', 'outcome'] });
    this.latency = metrics.histogram({
      name: 'notifier_delivery_latency_seconds',
      help: 'Event taken in to message accepted, by destination',
      labelNames: ['destination'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    });
    this.deadLetters = metrics.counter({ name: 'notifier_dead_letters_total', help: 'Deliveries given up on, by destination', labelNames: ['destination'] });
    this.inDoubt = metrics.counter({ name: 'notifier_in_doubt_total', help: 'In-doubt deliveries resolved, by destination and resolution (found, not-found, resent)', labelNames: ['destination', 'resolution'] });
    this.queued = metrics.gauge({ name: 'notifier_queued_deliveries', help: 'Deliveries waiting, by destination', labelNames: ['destination'] });
    this.events = metrics.counter({ name: 'notifier_events_total', help: 'Events taken in, by type and whether a route matched', labelNames: ['type', 'routed'] });
  }
}
