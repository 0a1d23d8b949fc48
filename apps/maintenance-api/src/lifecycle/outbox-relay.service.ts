import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SUBJECTS, type LifecycleType } from '@maintwatch/contracts';
import { Bus, PayloadError } from '@maintwatch/messaging';
import { MetricsService } from '@maintwatch/observability';
import { LOCKS, Store, isTransientStoreError, type OutboxRecord } from '@maintwatch/persistence';
import type { Counter, Gauge } from 'prom-client';
import { Failpoints } from '../faults/failpoints';
import { LIFECYCLE_OPTIONS, type LifecycleOptions } from './lifecycle.options';
import { OutboxSignal } from './outbox-signal';

const PUBLISH_WINDOW = 64;

/**
 * Publishes the outbox in order. One replica at a time (a transaction-scoped advisory lock):
 * it claims the oldest unpublished rows, publishes each with its event id as Nats-Msg-Id,
 * marks them and commits. A crash before the commit leaves the rows unmarked: the next run
 * publishes them again under the same ids and JetStream's de-duplication drops the copies.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly published: Counter<'type'>;
  private readonly pending: Gauge;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(OutboxSignal) private readonly signal: OutboxSignal,
    @Inject(Failpoints) private readonly failpoints: Failpoints,
    @Inject(LIFECYCLE_OPTIONS) private readonly options: LifecycleOptions,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.published = metrics.counter({ name: 'maintwatch_api_events_published_total', help: 'Lifecycle events published from the outbox, by type', labelNames: ['type'] });
    this.pending = metrics.gauge({ name: 'maintwatch_api_outbox_claimed', help: 'Events claimed by the last relay run' });
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  /** Stops after the run in progress (its transaction commits or rolls back first). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.signal.notify();
    await this.loop;
  }

  /** Publishes until the outbox is empty (or another replica holds the relay); returns how many were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      total += Math.max(n, 0);
      if (n < this.options.outboxBatch || this.stopped) return total;
    }
  }

  private async run(): Promise<void> {
    // Polled rather than awaited: a shutdown while PostgreSQL was never reached must not hang here.
    while (!this.stopped && !this.store.started) await this.signal.wait(this.options.outboxPollMs);
    let lastError = '';
    while (!this.stopped) {
      try {
        await this.drain();
        lastError = '';
      } catch (err) {
        const reason = (err as Error)?.message ?? String(err);
        // Logged once per distinct reason: NATS or PostgreSQL away makes every run fail the same way.
        if (reason !== lastError) this.logger.warn(`outbox relay: ${reason}; retrying`);
        lastError = reason;
        if (!isTransientStoreError(err)) await new Promise((r) => setTimeout(r, 1000));
      }
      if (!this.stopped) await this.signal.wait(this.options.outboxPollMs);
    }
  }

  private async publishOne(row: OutboxRecord): Promise<void> {
    try {
      await this.bus.publish(SUBJECTS.maintenanceEvent(row.type as LifecycleType), row.payload, {
        msgId: row.eventId,
        ...(row.correlationId ? { correlationId: row.correlationId } : {}),
      });
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      // Events are validated when written, so this is a bug or a contract change: skip the row
      // rather than stall every event behind it.
      this.logger.error(`outbox event ${row.eventId} skipped: ${err.message}`);
    }
  }

  /** One batch: -1 when another replica holds the relay. */
  private async runOnce(): Promise<number> {
    let claimed = 0;
    let published: string[] = [];
    await this.store.transaction(async (r) => {
      published = [];
      if (!(await r.clock.tryTransactionLock(LOCKS.relay))) {
        claimed = -1;
        return;
      }
      const rows = await r.outbox.claim(this.options.outboxBatch);
      claimed = rows.length;
      this.pending.set(rows.length);
      if (rows.length === 0) return;
      this.failpoints.hit('relay-before-publish');
      // Sent in outbox order on one connection, so JetStream stores them in that order; a
      // window of them is in flight at once rather than one round trip each. If one fails, the
      // whole batch stays unmarked and is sent again: the ones that got through are dropped as
      // duplicates (same Nats-Msg-Id), the order of those stored is the outbox order.
      for (let i = 0; i < rows.length; i += PUBLISH_WINDOW) {
        await Promise.all(rows.slice(i, i + PUBLISH_WINDOW).map((row) => this.publishOne(row)));
      }
      const done = rows.map((row) => row.id);
      published = rows.map((row) => row.type);
      this.failpoints.hit('relay-after-publish');
      await r.outbox.markPublished(done);
    });
    for (const type of published) this.published.inc({ type });
    if (published.length > 0) this.failpoints.hit('relay-after-commit');
    return claimed;
  }
}
