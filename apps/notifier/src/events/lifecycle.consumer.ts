import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type LifecycleEvent } from '@maintwatch/contracts';

/**
 * Lifecycle events in. Delivery to Slack and Teams is the notifier issue's; until then each
 * event is logged so the flow is visible end to end.
 */
@Controller()
export class LifecycleConsumer {
  private readonly logger = new Logger(LifecycleConsumer.name);

  @EventPattern(SUBJECTS.maintenanceEventAll)
  async onEvent(@Payload() event: LifecycleEvent): Promise<void> {
    const m = event.maintenance;
    this.logger.log(`${event.type}: ${m.providerName} ${m.maintenanceId} (${event.eventId})`);
  }
}
