import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@maintwatch/observability';
import type { Counter, Histogram } from 'prom-client';

/** Operator actions by kind and outcome, and how long they took on the device. */
@Injectable()
export class ActionMetrics {
  readonly actions: Counter<'kind' | 'outcome'>;
  readonly seconds: Histogram<'kind' | 'outcome'>;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.actions = metrics.counter({
      name: 'maintwatch_gateway_actions_total',
      help: 'Operator actions on devices that ended, by kind (command, reboot, ...) and outcome (succeeded, failed, refused)',
      labelNames: ['kind', 'outcome'],
    });
    this.seconds = metrics.histogram({
      name: 'maintwatch_gateway_action_seconds',
      help: 'Time from start to end of one operator action, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800],
    });
  }
}
