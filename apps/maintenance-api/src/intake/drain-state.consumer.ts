import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type DrainStepEvent } from '@maintwatch/contracts';
import { Bus, JetStreamExceptionFilter } from '@maintwatch/messaging';
import { Store } from '@maintwatch/persistence';
import { outcome } from './outcome';

/**
 * Core NATS (no stream captures it): a drain state this replica kept, so that every replica's
 * live feed tells its pages. Sent after the row is committed, so a page that reloads on it
 * reads the new state.
 */
export const LIVE_DRAIN_SUBJECT = 'maintwatch-api.live.v1.drain';

/**
 * The junos-gateway's drain and restore steps, kept per maintenance for its page
 * (GET /maintenances/:id `drains`). At least once and in any order: the latest step wins.
 */
@Controller()
@UseFilters(new JetStreamExceptionFilter())
export class DrainStateConsumer {
  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(Bus) private readonly bus: Bus,
  ) {}

  @EventPattern(SUBJECTS.drainStepAll)
  async onStep(@Payload() step: DrainStepEvent): Promise<void> {
    await outcome(async () => {
      if (await this.store.repos.api.drains.record(step)) this.bus.nc.publish(this.bus.ns.subject(LIVE_DRAIN_SUBJECT), JSON.stringify(step));
    });
  }
}
