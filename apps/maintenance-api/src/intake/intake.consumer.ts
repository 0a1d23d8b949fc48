import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SUBJECTS, type MaintenanceParsed, type NoticeIgnored, type NoticeUnparsed, type RawNotice } from '@maintwatch/contracts';
import { JetStreamContext, JetStreamExceptionFilter } from '@maintwatch/messaging';
import { ApplyParsedUseCase } from './apply-parsed.use-case';
import { outcome } from './outcome';
import { RecordNoticeUseCase } from './record-notice.use-case';

/**
 * Hands each message to its use case and decides its outcome by error class: PostgreSQL
 * away or contended -> nak with a delay (TransientError), anything else -> dead letter with
 * the reason (PermanentError). Invalid payloads never get here (the transport dead-letters them).
 */
@Controller()
// Scoped here because the transport's global registration of this filter comes after the
// microservice is initialised (Nest warns and skips it): without it Nest's default filter
// would turn every error into a plain object and the transport could not tell their class.
@UseFilters(new JetStreamExceptionFilter())
export class IntakeConsumer {
  constructor(
    @Inject(RecordNoticeUseCase) private readonly notices: RecordNoticeUseCase,
    @Inject(ApplyParsedUseCase) private readonly applyParsed: ApplyParsedUseCase,
  ) {}

  @EventPattern(SUBJECTS.noticeReceived)
  async onReceived(@Payload() notice: RawNotice): Promise<void> {
    await outcome(() => this.notices.received(notice));
  }

  @EventPattern(SUBJECTS.maintenanceParsed)
  async onParsed(@Payload() parsed: MaintenanceParsed, @Ctx() ctx: JetStreamContext): Promise<void> {
    await outcome(() => this.applyParsed.execute(parsed, ctx.getMessage().correlationId));
  }

  @EventPattern(SUBJECTS.noticeUnparsed)
  async onUnparsed(@Payload() u: NoticeUnparsed): Promise<void> {
    await outcome(() => this.notices.unparsed(u));
  }

  @EventPattern(SUBJECTS.noticeIgnored)
  async onIgnored(@Payload() i: NoticeIgnored): Promise<void> {
    await outcome(() => this.notices.ignored(i));
  }
}
