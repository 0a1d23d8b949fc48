import { Inject, Injectable } from '@nestjs/common';
import { SUBJECTS, type DrainStepEvent, type DrainStepType } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { Store } from '@maintwatch/persistence';
import { PublishRelay } from '../relay/publish-relay';

/**
 * Publishes audited drain steps on device.drain.v1.<step>, the way the device-event relay does:
 * claim unpublished rows, publish with a deterministic Nats-Msg-Id, mark them, commit. A crash in
 * between publishes again under the same id and JetStream drops the copy.
 */
@Injectable()
export class DrainRelay extends PublishRelay {
  constructor(@Inject(Store) store: Store, @Inject(Bus) bus: Bus) {
    super(store, bus, 'drain relay');
  }

  protected async once(): Promise<number> {
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
