import { Inject, Injectable, Logger } from '@nestjs/common';
import { rawNoticeMsgId } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { newCorrelationId } from '@maintwatch/observability';
import { Store, StoreNotFoundError, type NoticeListItem, type NoticeRecordItem, type StoredRawNotice } from '@maintwatch/persistence';
import type { NoticeQueryDto, RecordQueryDto } from '../dto/notices.dto';
import { DependencyUnavailableError } from '../errors';

/** A reprocessing started: the attempt and the message id it went out under. */
export interface Reprocessed {
  noticeId: string;
  attempt: number;
  msgId: string;
}

const BATCH = 200;

/**
 * Stored notices: lists, the original bytes, what the parser made of each attempt, and
 * reprocessing (DESIGN.md): the stored bytes go out again on notice.received.v1 with attempt
 * + 1, so the message id `<noticeId>#<attempt>` is new and JetStream's duplicate window does
 * not swallow it; the parser's output for the new attempt is applied as any other.
 */
@Injectable()
export class NoticeService {
  private readonly logger = new Logger(NoticeService.name);

  constructor(
    @Inject(Store) private readonly store: Store,
    @Inject(Bus) private readonly bus: Bus,
  ) {}

  /** A page of notices. */
  list(q: NoticeQueryDto): Promise<{ items: NoticeListItem[]; nextCursor?: string }> {
    return this.store.repos.api.notices.list({ outcome: q.outcome, source: q.source, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor });
  }

  /** A notice with every parsed, unparsed and ignored record of it. */
  async detail(noticeId: string): Promise<NoticeListItem & { parsed: NoticeRecordItem[]; unparsed: NoticeRecordItem[]; ignored: NoticeRecordItem[] }> {
    const notices = this.store.repos.api.notices;
    const n = await notices.get(noticeId);
    if (!n) throw new StoreNotFoundError(`notice ${noticeId} does not exist`);
    const all = { noticeId, limit: 500 };
    const [parsed, unparsed, ignored] = await Promise.all([notices.records('parsed', all), notices.records('unparsed', all), notices.records('ignored', all)]);
    return { ...n, parsed: parsed.items, unparsed: unparsed.items, ignored: ignored.items };
  }

  /** The mail as received. */
  async raw(noticeId: string): Promise<StoredRawNotice> {
    const n = await this.store.repos.notices.getRaw(noticeId);
    if (!n) throw new StoreNotFoundError(`notice ${noticeId} does not exist`);
    return n;
  }

  /** A page of parsed, unparsed or ignored records. */
  records(kind: 'parsed' | 'unparsed' | 'ignored', q: RecordQueryDto): Promise<{ items: NoticeRecordItem[]; nextCursor?: string }> {
    return this.store.repos.api.notices.records(kind, { providerType: q.provider, noticeId: q.noticeId, limit: q.limit, cursor: q.cursor });
  }

  /** Sends a stored notice to the parser again, as attempt + 1. */
  async reprocess(noticeId: string): Promise<Reprocessed> {
    const n = await this.store.repos.api.notices.nextAttempt(noticeId);
    if (!n) throw new StoreNotFoundError(`notice ${noticeId} does not exist`);
    const meta = {
      noticeId: n.noticeId,
      source: n.source,
      receivedAt: n.receivedAt,
      attempt: n.attempt,
      // A new correlation id: this attempt's logs and events are told apart from the first one's.
      correlationId: newCorrelationId(),
      ...(n.sender !== undefined ? { sender: n.sender } : {}),
      ...(n.subject !== undefined ? { subject: n.subject } : {}),
      ...(n.providerHint !== undefined ? { providerHint: n.providerHint } : {}),
    };
    try {
      await this.bus.publishRawNotice(meta, new Uint8Array(n.body.buffer, n.body.byteOffset, n.body.byteLength));
    } catch (err) {
      // The attempt stays counted: the next reprocessing takes the one after (attempts may skip, never repeat).
      throw new DependencyUnavailableError(`notice ${noticeId} not sent: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    this.logger.log(`notice ${noticeId} sent again as attempt ${n.attempt}`);
    return { noticeId, attempt: n.attempt, msgId: rawNoticeMsgId(meta) };
  }

  /** Sends every notice whose latest attempt ended unparsed to the parser again. */
  async reprocessUnparsed(): Promise<{ count: number; items: Reprocessed[] }> {
    const items: Reprocessed[] = [];
    let after = '';
    for (;;) {
      const ids = await this.store.repos.api.notices.unparsedNoticeIds(BATCH, after);
      for (const id of ids) items.push(await this.reprocess(id));
      const last = ids[ids.length - 1];
      if (ids.length < BATCH || last === undefined) break;
      after = last;
    }
    return { count: items.length, items };
  }
}
