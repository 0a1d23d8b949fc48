import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { MetricsService } from '@maintwatch/observability';
import { LOCKS, Store } from '@maintwatch/persistence';
import type { Counter } from 'prom-client';
import { Failpoints } from '../faults/failpoints';
import { clockTransitions, lifecycleEvent } from './lifecycle-rules';
import { LIFECYCLE_OPTIONS, type LifecycleOptions } from './lifecycle.options';
import { OutboxSignal } from './outbox-signal';
import { SnapshotLoader } from './snapshot-loader';

const BATCH = 500;

/**
 * The lifecycle clock: starting-soon, started and ended by time. Its state is each
 * maintenance's phase in PostgreSQL, changed in the transaction that writes the event to the
 * outbox, so a restart neither misses nor repeats a transition; a transaction-scoped advisory
 * lock lets one replica at a time tick, and the rows are locked besides.
 */
@Injectable()
export class LifecycleClock implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LifecycleClock.name);
  private readonly transitions: Counter<'type'>;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<unknown>;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(SnapshotLoader) private readonly snapshots: SnapshotLoader,
    @Inject(OutboxSignal) private readonly signal: OutboxSignal,
    @Inject(Failpoints) private readonly failpoints: Failpoints,
    @Inject(LIFECYCLE_OPTIONS) private readonly options: LifecycleOptions,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.transitions = metrics.counter({ name: 'maintwatch_api_clock_transitions_total', help: 'Lifecycle transitions emitted by the clock, by type', labelNames: ['type'] });
  }

  onApplicationBootstrap(): void {
    if (!this.options.clockEnabled) return;
    void this.store.whenStarted().then(() => this.schedule(0));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick()
        .catch((err: unknown) => this.logger.warn(`clock: ${(err as Error)?.message ?? String(err)}; next tick retries`))
        .finally(() => this.schedule(this.options.clockIntervalMs));
    }, ms);
  }

  /** One tick: emits every transition due now. Returns how many (0 when another replica ticks). */
  async tick(): Promise<number> {
    let emitted = 0;
    const now = this.options.now();
    for (;;) {
      const { types, more } = await this.store.transaction(async (r) => {
        const types: string[] = [];
        if (!(await r.clock.tryTransactionLock(LOCKS.clock))) return { types, more: false };
        const due = await r.maintenances.dueForClock(now, this.options.leadSeconds, BATCH);
        const events = [];
        for (const m of due) {
          const t = clockTransitions(m, now, this.options.leadSeconds);
          if (t.events.length === 0) continue;
          const updated = await r.maintenances.update(m.id, { phase: t.phase });
          const snapshot = await this.snapshots.snapshot(r, updated);
          for (const type of t.events) {
            events.push({ event: lifecycleEvent(type, snapshot, now), maintenanceId: m.id });
            types.push(type);
          }
        }
        await r.outbox.enqueue(events);
        await r.clock.recordTick('lifecycle', this.options.replica, events.length);
        this.failpoints.hit('clock-before-commit');
        return { types, more: due.length === BATCH };
      });
      emitted += types.length;
      for (const type of types) this.transitions.inc({ type });
      if (!more || this.stopped) break;
    }
    if (emitted > 0) this.signal.notify();
    return emitted;
  }
}
