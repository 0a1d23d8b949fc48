import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type LifecycleEvent } from '@maintwatch/contracts';
import { Store } from '@maintwatch/persistence';
import { decide } from './drain-schedule';
import { DrainRunner } from './drain-runner.service';

/**
 * Lifecycle events in: each creates, moves or closes the drain jobs of its maintenance. Only
 * the store changes here (the runner acts on devices), so a redelivered event is harmless: the
 * upsert is keyed and versioned, the transitions are compare-and-set.
 */
@Controller()
export class DrainConsumer {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(DrainRunner) private readonly runner: DrainRunner,
  ) {}

  @EventPattern(SUBJECTS.maintenanceEventAll)
  async onEvent(@Payload() event: LifecycleEvent): Promise<void> {
    const decision = decide(event);
    if (decision.upserts.length === 0) return;
    const now = this.runner.now();
    await this.store.transaction(async (r) => {
      for (const input of decision.upserts) {
        const existing = await r.drains.find(input.providerType, input.maintenanceId, input.circuitId);
        // History replayed by a new gateway: a window long over is not a job.
        if (!existing && input.restoreAt <= now) continue;
        const job = await r.drains.upsert(input);
        if (decision.close === 'cancel') {
          if (await r.drains.transition(job.id, ['scheduled'], 'cancelled', { detail: 'maintenance cancelled before the drain: nothing applied' }))
            await r.drains.step(job.id, 'cancelled', 'maintenance cancelled before the drain: nothing applied');
          else if (job.state === 'drained') await r.drains.transition(job.id, ['drained'], 'drained', { restoreAt: now });
        }
      }
    });
    this.runner.wake();
  }
}
