import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SUBJECTS, type DrainStepEvent, type DrainStepType } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { Store } from '@maintwatch/persistence';

/**
 * Publishes audited drain steps on device.drain.v1.<step>, the way the device-event relay does:
 * claim unpublished rows, publish with a deterministic Nats-Msg-Id, mark them, commit. A crash in
 * between publishes again under the same id and JetStream drops the copy.
 */
@Injectable()
export class DrainRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DrainRelay.name);
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(Bus) private readonly bus: Bus,
  ) {}

  /** Publishes now. */
  wake(): void {
    this.wakeUp?.();
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    await this.store.whenStarted();
    let lastError = '';
    while (!this.stopped) {
      try {
        while ((await this.once()) > 0 && !this.stopped);
        lastError = '';
      } catch (err) {
        const reason = (err as Error)?.message ?? String(err);
        if (reason !== lastError) this.logger.warn(`drain relay: ${reason}; retrying`);
        lastError = reason;
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async once(): Promise<number> {
    return this.store.transaction(async (r) => {
      const rows = await r.drains.claimUnpublished(100);
      for (const row of rows) {
        const step = row.step as DrainStepType;
        const event: DrainStepEvent = {
          stepId: `drain-step-${row.id}`,
          step,
          at: row.at,
          providerType: row.job.providerType,
          maintenanceId: row.job.maintenanceId,
          circuitId: row.job.circuitId,
          device: row.job.device,
          method: row.job.binding.drain.method,
          dryRun: row.job.binding.drain.dryRun,
          state: row.job.state,
          detail: row.detail,
          ...(row.diff ? { diff: row.diff } : {}),
          window: { start: row.job.windowStart, end: row.job.windowEnd },
        };
        await this.bus.publish(SUBJECTS.drainStep(step), event, { msgId: event.stepId });
      }
      await r.drains.markPublished(rows.map((row) => row.id));
      return rows.length;
    });
  }
}
