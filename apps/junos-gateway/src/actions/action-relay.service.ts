import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DEVICE_ACTIONS, SUBJECTS, type DeviceActionResult, type DeviceActionType } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { Store } from '@maintwatch/persistence';

/**
 * Publishes finished actions on device.action-result.v1, the way the drain relay publishes
 * steps: claim unpublished rows, publish with the action id as Nats-Msg-Id, mark them, commit.
 * A crash in between publishes again under the same id and JetStream drops the copy.
 */
@Injectable()
export class ActionRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ActionRelay.name);
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
        if (reason !== lastError) this.logger.warn(`action relay: ${reason}; retrying`);
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
      const rows = await r.deviceActions.claimUnpublished(100);
      for (const row of rows) {
        if (row.outcome === 'pending' || row.outcome === 'running') continue;
        const result: DeviceActionResult = {
          actionId: row.id,
          action: (DEVICE_ACTIONS as readonly string[]).includes(row.kind) ? (row.kind as DeviceActionType) : 'command',
          device: row.device,
          outcome: row.outcome,
          detail: row.detail,
          finishedAt: row.finishedAt ?? Math.floor(Date.now() / 1000),
          artifacts: row.artifacts,
          requestedBy: row.requestedBy,
          ...(row.output !== null ? { output: row.output } : {}),
          ...(row.durationMs !== null ? { durationMs: row.durationMs } : {}),
        };
        await this.bus.publish(SUBJECTS.deviceActionResult, result, { msgId: row.id });
      }
      await r.deviceActions.markPublished(rows.map((row) => row.id));
      return rows.length;
    });
  }
}
