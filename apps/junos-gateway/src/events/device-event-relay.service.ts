import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SUBJECTS } from '@maintwatch/contracts';
import { Bus, PayloadError } from '@maintwatch/messaging';
import { MetricsService } from '@maintwatch/observability';
import { Store, isTransientStoreError, type DeviceEventRecord } from '@maintwatch/persistence';
import type { Counter } from 'prom-client';
import { EventSignal } from './event-signal';

/** Injection token of the relay's options. */
export const RELAY_OPTIONS = Symbol('RELAY_OPTIONS');
/** How the relay runs. */
export interface RelayOptions {
  pollMs: number;
  batch: number;
}

const PUBLISH_WINDOW = 64;

/**
 * Publishes stored device events on device.event.v1.<kind>, as maintenance-api's relay does its
 * outbox: claim the oldest unpublished rows, publish each with its event id as Nats-Msg-Id,
 * mark them, commit. A crash between publish and commit publishes them again under the same
 * ids, and JetStream's de-duplication drops the copies (at-least-once, no duplicates within the
 * window; the notifier's delivery records cover the rest). Replicas skip rows another holds.
 */
@Injectable()
export class DeviceEventRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeviceEventRelay.name);
  private readonly published: Counter<'kind'>;
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(EventSignal) private readonly signal: EventSignal,
    @Inject(RELAY_OPTIONS) private readonly options: RelayOptions,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.published = metrics.counter({ name: 'maintwatch_gateway_events_published_total', help: 'Device events published from the gateway outbox, by kind', labelNames: ['kind'] });
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.signal.notify();
    await this.loop;
  }

  /** Publishes until nothing is left; returns how many were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      total += n;
      if (n < this.options.batch || this.stopped) return total;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.store.started) await this.signal.wait(this.options.pollMs);
    let lastError = '';
    while (!this.stopped) {
      try {
        await this.drain();
        lastError = '';
      } catch (err) {
        const reason = (err as Error)?.message ?? String(err);
        if (reason !== lastError) this.logger.warn(`device-event relay: ${reason}; retrying`);
        lastError = reason;
        if (!isTransientStoreError(err)) await new Promise((r) => setTimeout(r, 1000));
      }
      if (!this.stopped) await this.signal.wait(this.options.pollMs);
    }
  }

  private async runOnce(): Promise<number> {
    let kinds: string[] = [];
    const n = await this.store.transaction(async (r) => {
      const rows = await r.deviceEvents.claimUnpublished(this.options.batch);
      for (let i = 0; i < rows.length; i += PUBLISH_WINDOW) {
        await Promise.all(rows.slice(i, i + PUBLISH_WINDOW).map((row) => this.publishOne(row)));
      }
      await r.deviceEvents.markPublished(rows.map((row) => row.id));
      kinds = rows.map((row) => row.event.kind);
      return rows.length;
    });
    for (const kind of kinds) this.published.inc({ kind });
    return n;
  }

  private async publishOne(row: DeviceEventRecord): Promise<void> {
    try {
      await this.bus.publish(SUBJECTS.deviceEvent(row.event.kind), row.event, { msgId: row.event.eventId });
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      // Validated before it was stored: a contract change. Skipped rather than stalling every event behind it.
      this.logger.error(`device event ${row.event.eventId} skipped: ${err.message}`);
    }
  }
}
