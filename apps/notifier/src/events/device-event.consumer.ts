import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type DeviceEvent } from '@maintwatch/contracts';
import { JetStreamContext } from '@maintwatch/messaging';
import { DeliveryService } from '../delivery/delivery.service';
import { deviceNotification } from '../rendering/notification';

/**
 * Device events from the junos-gateway: priority 1 (with detail) and 2 (summary) are routed as
 * `device-event` and delivered like any other notification; priority 3 is acked untouched
 * (stored by the gateway, no chat message). The gateway has no chat client of its own.
 */
@Controller()
export class DeviceEventConsumer {
  constructor(@Inject(DeliveryService) private readonly delivery: DeliveryService) {}

  @EventPattern(SUBJECTS.deviceEventAll)
  async onDeviceEvent(@Payload() event: DeviceEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    const n = deviceNotification(event);
    if (!n) return;
    const m = ctx.getMessage();
    await this.delivery.accept(n, { subject: m.subject, stream: m.raw.info.stream, streamSeq: m.streamSequence, correlationId: m.correlationId });
  }
}
