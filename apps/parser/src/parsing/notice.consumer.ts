import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type RawNotice } from '@maintwatch/contracts';
import { JetStreamContext } from '@maintwatch/messaging';
import { ParseNoticeUseCase } from './parse-notice.use-case';

/** Hands each received notice to the use case; the transport acks, naks or dead-letters. */
@Controller()
export class NoticeConsumer {
  constructor(@Inject(ParseNoticeUseCase) private readonly parseNotice: ParseNoticeUseCase) {}

  @EventPattern(SUBJECTS.noticeReceived)
  async onNoticeReceived(@Payload() notice: RawNotice, @Ctx() _ctx: JetStreamContext): Promise<void> {
    await this.parseNotice.execute(notice);
  }
}
