import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type DeviceAction } from '@maintwatch/contracts';

/**
 * Device action requests in. NETCONF execution is the junos-gateway issue's; until then a
 * request is logged and left unexecuted (no result is claimed).
 */
@Controller()
export class DeviceActionConsumer {
  private readonly logger = new Logger(DeviceActionConsumer.name);

  @EventPattern(SUBJECTS.deviceActionAll)
  async onAction(@Payload() action: DeviceAction): Promise<void> {
    this.logger.warn(`${action.action} on ${action.device} requested by ${action.requestedBy}: not executed (NETCONF not configured)`);
  }
}
