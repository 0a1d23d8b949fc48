import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { NOTICE_OUTCOMES } from '@maintwatch/persistence';
import { CursorParam, LimitParam, PageInfo, TimeParam } from './common.dto';

/** Query of GET /notices. */
export class NoticeQueryDto extends createZodDto(
  z.strictObject({
    outcome: z.enum(NOTICE_OUTCOMES).optional().describe('what became of the latest attempt'),
    source: z.string().min(1).max(64).optional(),
    from: TimeParam.optional(),
    to: TimeParam.optional(),
    limit: LimitParam,
    cursor: CursorParam.optional(),
  }),
) {}

/** Query of the parsed / unparsed / ignored record lists. */
export class RecordQueryDto extends createZodDto(
  z.strictObject({
    provider: z.string().min(1).max(64).optional(),
    noticeId: z.string().min(1).max(1024).optional(),
    limit: LimitParam,
    cursor: CursorParam.optional(),
  }),
) {}

/** A stored notice (metadata). */
export const NoticeView = z
  .object({
    noticeId: z.string(),
    source: z.string(),
    sender: z.string().optional(),
    subject: z.string().optional(),
    receivedAt: z.number().int(),
    size: z.number().int(),
    sha256: z.string(),
    providerHint: z.string().optional(),
    attempt: z.number().int(),
    outcome: z.enum(NOTICE_OUTCOMES),
    storedAt: z.number().int(),
  })
  .meta({ id: 'Notice' });

/** Response: a page of notices. */
export class NoticePageDto extends createZodDto(z.object({ items: z.array(NoticeView), ...PageInfo }).meta({ id: 'NoticePage' })) {}

/** A parsed, unparsed or ignored record. */
const RecordView = z
  .object({
    id: z.string(),
    noticeId: z.string(),
    attempt: z.number().int(),
    providerType: z.string().optional(),
    sender: z.string().optional(),
    subject: z.string().optional(),
    receivedAt: z.number().int(),
    index: z.number().int().optional(),
    count: z.number().int().optional(),
    maintenanceKey: z.string().optional(),
    maintenanceId: z.uuid().optional(),
    outcome: z.string().optional(),
    parsers: z.array(z.string()).optional(),
    reasons: z.array(z.string()).optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'NoticeRecord' });

/** Response: a page of records. */
export class RecordPageDto extends createZodDto(z.object({ items: z.array(RecordView), ...PageInfo }).meta({ id: 'NoticeRecordPage' })) {}

/** Response: a notice with every record of it. */
export class NoticeDetailDto extends createZodDto(
  NoticeView.extend({ parsed: z.array(RecordView), unparsed: z.array(RecordView), ignored: z.array(RecordView) }).meta({ id: 'NoticeDetail' }),
) {}

/** Response: a reprocessing started. */
export const ReprocessView = z
  .object({ noticeId: z.string(), attempt: z.number().int(), msgId: z.string().describe('the Nats-Msg-Id it was published under') })
  .meta({ id: 'Reprocess' });
/** Response: a reprocessing started. */
export class ReprocessDto extends createZodDto(ReprocessView) {}

/** Response: every unparsed notice sent again. */
export class ReprocessAllDto extends createZodDto(z.object({ count: z.number().int(), items: z.array(ReprocessView) }).meta({ id: 'ReprocessAll' })) {}

/** Query of GET /calendar.ics. */
export class CalendarQueryDto extends createZodDto(
  z.strictObject({
    token: z.string().min(1).max(256).optional().describe('a read token, for calendar clients that cannot send headers'),
    provider: z.string().min(1).max(64).optional(),
    circuit: z.string().min(1).max(512).optional().describe('circuit id, or any of its names'),
    redundancyGroup: z.string().min(1).max(255).optional(),
  }),
) {}
