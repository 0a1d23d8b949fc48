import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type DrainStepEvent } from '@maintwatch/contracts';
import { JetStreamContext } from '@maintwatch/messaging';
import { DeliveryService } from '../delivery/delivery.service';
import { drainNotification } from '../rendering/notification';

/** The junos-gateway's drain and restore steps, routed as `drain` (every step, with its diff). */
@Controller()
export class DrainStepConsumer {
  constructor(@Inject(DeliveryService) private readonly delivery: DeliveryService) {}

  @EventPattern(SUBJECTS.drainStepAll)
  async onStep(@Payload() step: DrainStepEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    const m = ctx.getMessage();
    await this.delivery.accept(drainNotification(step), { subject: m.subject, stream: m.raw.info.stream, streamSeq: m.streamSequence, correlationId: m.correlationId });
  }
}
