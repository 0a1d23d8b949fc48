import { Inject, Injectable } from '@nestjs/common';
import { DEVICE_ACTIONS, SUBJECTS, type DeviceActionResult, type DeviceActionType } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { Store } from '@maintwatch/persistence';
import { PublishRelay } from '../relay/publish-relay';

/**
 * Publishes finished actions on device.action-result.v1, the way the drain relay publishes
 * steps: claim unpublished rows, publish with the action id as Nats-Msg-Id, mark them, commit.
 * A crash in between publishes again under the same id and JetStream drops the copy.
 */
@Injectable()
export class ActionRelay extends PublishRelay {
  constructor(@Inject(Store) store: Store, @Inject(Bus) bus: Bus) {
    super(store, bus, 'action relay');
  }

  protected async once(): Promise<number> {
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
