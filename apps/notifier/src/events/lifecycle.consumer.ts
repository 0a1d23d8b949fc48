import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type LifecycleEvent, type NoticeUnparsed } from '@maintwatch/contracts';
import { JetStreamContext } from '@maintwatch/messaging';
import { DeliveryService, type EventOrigin } from '../delivery/delivery.service';
import { lifecycleNotification, unparsedNotification } from '../rendering/notification';

/**
 * Lifecycle events and unparsed notices in: each is routed and its deliveries recorded before
 * the message is acked; the per-destination workers post them. The transport validated the
 * payload against its schema (an invalid one is dead-lettered there).
 */
@Controller()
export class LifecycleConsumer {
  constructor(@Inject(DeliveryService) private readonly delivery: DeliveryService) {}

  @EventPattern(SUBJECTS.maintenanceEventAll)
  async onEvent(@Payload() event: LifecycleEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.delivery.accept(lifecycleNotification(event), origin(ctx));
  }

  @EventPattern(SUBJECTS.noticeUnparsed)
  async onUnparsed(@Payload() notice: NoticeUnparsed, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.delivery.accept(unparsedNotification(notice), origin(ctx));
  }
}

function origin(ctx: JetStreamContext): EventOrigin {
  const m = ctx.getMessage();
  return { subject: m.subject, stream: m.raw.info.stream, streamSeq: m.streamSequence, correlationId: m.correlationId };
}
