import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@maintwatch/observability';
import type { Counter, Histogram } from 'prom-client';

/** Every outcome of POST /webhook/junos (a metrics label). */
export type WebhookOutcome =
  | 'accepted'
  | 'duplicate'
  | 'dropped'
  | 'missing-signature'
  | 'invalid-hex'
  | 'bad-timestamp'
  | 'stale'
  | 'forged'
  | 'replayed'
  | 'oversized'
  | 'malformed'
  | 'rate-limited'
  | 'store-unavailable';

/** Webhooks by outcome and priority, and the time to handle one. */
@Injectable()
export class WebhookMetrics {
  readonly requests: Counter<'outcome' | 'priority'>;
  readonly seconds: Histogram<'outcome'>;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.requests = metrics.counter({
      name: 'maintwatch_gateway_webhooks_total',
      help: 'Device webhooks, by outcome (accepted, duplicate, dropped, or why refused) and priority ("none" before classification)',
      labelNames: ['outcome', 'priority'],
    });
    this.seconds = metrics.histogram({
      name: 'maintwatch_gateway_webhook_seconds',
      help: 'Time to verify, classify and store one webhook, by outcome',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    });
  }

  /** Counts one request. */
  count(outcome: WebhookOutcome, priority: number | 'none', seconds: number): void {
    this.requests.inc({ outcome, priority: String(priority) });
    this.seconds.observe({ outcome }, seconds);
  }
}
