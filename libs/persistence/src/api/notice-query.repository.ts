import type { EntityManager } from 'typeorm';
import { epoch, fromEpoch } from '../models';
import { returnedRows } from '../pg-errors';
import { rawNoticeFromRow, type RawNoticeRow, type StoredRawNotice } from '../repositories/notice.repository';
import { Conditions, decodeCursor, encodeCursor, type Page } from './cursor';
import { InvalidCursorError } from './errors';

/** What became of a notice at its latest attempt (pending: nothing recorded for it yet). */
export const NOTICE_OUTCOMES = ['parsed', 'unparsed', 'ignored', 'pending'] as const;
/** One notice outcome. */
export type NoticeOutcome = (typeof NOTICE_OUTCOMES)[number];

/** A stored notice in a list: metadata, never the bytes. */
export interface NoticeListItem {
  noticeId: string;
  source: string;
  sender?: string;
  subject?: string;
  receivedAt: number;
  size: number;
  sha256: string;
  providerHint?: string;
  attempt: number;
  outcome: NoticeOutcome;
  storedAt: number;
}

/** A record of what the parser made of a notice attempt. */
export interface NoticeRecordItem {
  id: string;
  noticeId: string;
  attempt: number;
  providerType?: string;
  sender?: string;
  subject?: string;
  receivedAt: number;
  /** parsed: */
  index?: number;
  count?: number;
  maintenanceKey?: string;
  maintenanceId?: string;
  outcome?: string;
  parsers?: string[];
  /** unparsed: */
  reasons?: string[];
  /** ignored: */
  reason?: string;
}

/** Filters and page of a notice list. */
export interface NoticeQuery {
  outcome?: NoticeOutcome;
  source?: string;
  /** Received in [from, to), epoch seconds. */
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

/** Filters and page of a parsed / unparsed / ignored record list (newest first). */
export interface RecordQuery {
  providerType?: string;
  noticeId?: string;
  limit: number;
  cursor?: string;
}

// The latest attempt's outcome; at one attempt a parsed record beats unparsed beats ignored.
const OUTCOME = `COALESCE((SELECT x.kind FROM (
    SELECT 'parsed' AS kind, p.attempt, 3 AS rank FROM parsed_record p WHERE p.notice_id = n.notice_id
    UNION ALL SELECT 'unparsed', u.attempt, 2 FROM unparsed_record u WHERE u.notice_id = n.notice_id
    UNION ALL SELECT 'ignored', g.attempt, 1 FROM ignored_record g WHERE g.notice_id = n.notice_id) x
  ORDER BY x.attempt DESC, x.rank DESC LIMIT 1), 'pending')`;

const NOTICE_COLUMNS = `n.notice_id, n.source, n.sender, n.subject, n.received_at, n.size, n.sha256, n.provider_hint, n.attempt, n.stored_at`;

interface NoticeRow {
  notice_id: string;
  source: string;
  sender: string | null;
  subject: string | null;
  received_at: Date;
  size: number;
  sha256: string;
  provider_hint: string | null;
  attempt: number;
  stored_at: Date;
  outcome: NoticeOutcome;
  sort_key: string;
}

/** The notice reads of the API, and the attempt counter of reprocessing. */
export class NoticeQueryRepository {
  constructor(private readonly m: EntityManager) {}

  /** One page of stored notices, newest first. */
  async list(q: NoticeQuery): Promise<Page<NoticeListItem>> {
    const c = new Conditions();
    if (q.source !== undefined) c.add(`n.source = ${c.param(q.source)}`);
    if (q.from !== undefined) c.add(`n.received_at >= ${c.param(fromEpoch(q.from))}`);
    if (q.to !== undefined) c.add(`n.received_at < ${c.param(fromEpoch(q.to))}`);
    if (q.outcome !== undefined) c.add(`${OUTCOME} = ${c.param(q.outcome)}`);
    if (q.cursor !== undefined) {
      const [micros, id] = decodeCursor(q.cursor, 'notices', 2) as [string, string];
      if (!/^\d{1,20}$/.test(micros)) throw new InvalidCursorError('cursor is not one this API handed out');
      c.add(`(n.received_at, n.notice_id) < ('epoch'::timestamptz + ${c.param(micros)}::bigint * interval '1 microsecond', ${c.param(id)})`);
    }
    const rows: NoticeRow[] = await this.m.query(
      `SELECT ${NOTICE_COLUMNS}, ${OUTCOME} AS outcome, (extract(epoch FROM n.received_at) * 1000000)::bigint::text AS sort_key
       FROM raw_notice n ${c.clause()} ORDER BY n.received_at DESC, n.notice_id DESC LIMIT ${c.param(q.limit + 1)}`,
      c.params,
    );
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map(toNotice), ...(more && last ? { nextCursor: encodeCursor('notices', [last.sort_key, last.notice_id]) } : {}) };
  }

  /** One stored notice's metadata with its outcome. */
  async get(noticeId: string): Promise<NoticeListItem | undefined> {
    const rows: NoticeRow[] = await this.m.query(`SELECT ${NOTICE_COLUMNS}, ${OUTCOME} AS outcome, '0' AS sort_key FROM raw_notice n WHERE n.notice_id = $1`, [noticeId]);
    return rows[0] && toNotice(rows[0]);
  }

  /** One page of parsed, unparsed or ignored records, newest first. */
  async records(kind: 'parsed' | 'unparsed' | 'ignored', q: RecordQuery): Promise<Page<NoticeRecordItem>> {
    const table = { parsed: 'parsed_record', unparsed: 'unparsed_record', ignored: 'ignored_record' }[kind];
    const extra = {
      parsed: `r.index, r.count, r.maintenance_key, r.maintenance_id, r.outcome, r.parsers, n.sender, n.subject`,
      unparsed: `r.reasons, r.sender, r.subject`,
      ignored: `r.reason, r.sender, r.subject`,
    }[kind];
    const c = new Conditions();
    if (q.providerType !== undefined) c.add(`r.provider_type = ${c.param(q.providerType)}`);
    if (q.noticeId !== undefined) c.add(`r.notice_id = ${c.param(q.noticeId)}`);
    if (q.cursor !== undefined) {
      const [id] = decodeCursor(q.cursor, kind, 1) as [string];
      if (!/^\d{1,20}$/.test(id)) throw new InvalidCursorError('cursor is not one this API handed out');
      c.add(`r.id < ${c.param(id)}::bigint`);
    }
    const rows: Record<string, unknown>[] = await this.m.query(
      `SELECT r.id::text AS id, r.notice_id, r.attempt, r.provider_type, r.received_at, ${extra}
       FROM ${table} r ${kind === 'parsed' ? 'LEFT JOIN raw_notice n ON n.notice_id = r.notice_id' : ''}
       ${c.clause()} ORDER BY r.id DESC LIMIT ${c.param(q.limit + 1)}`,
      c.params,
    );
    const more = rows.length > q.limit;
    const page = (more ? rows.slice(0, q.limit) : rows).map(toRecordItem);
    const last = page[page.length - 1];
    return { items: page, ...(more && last ? { nextCursor: encodeCursor(kind, [last.id]) } : {}) };
  }

  /**
   * Raises a stored notice's attempt by one and returns it with its bytes, for publishing again
   * (the new attempt makes a new message id). Concurrent reprocessings get distinct attempts.
   */
  async nextAttempt(noticeId: string): Promise<StoredRawNotice | undefined> {
    const list = returnedRows<RawNoticeRow>(
      await this.m.query(`UPDATE raw_notice SET attempt = attempt + 1 WHERE notice_id = $1 RETURNING *`, [noticeId]),
    );
    return list[0] && rawNoticeFromRow(list[0]);
  }

  /**
   * Notices whose latest attempt ended unparsed (a reprocessing still in flight excluded: its
   * attempt has no record yet), oldest first, after `afterNoticeId`.
   */
  async unparsedNoticeIds(limit: number, afterNoticeId = ''): Promise<string[]> {
    const rows: { notice_id: string }[] = await this.m.query(
      `SELECT n.notice_id FROM raw_notice n
       WHERE n.notice_id > $2 AND EXISTS (SELECT 1 FROM unparsed_record u WHERE u.notice_id = n.notice_id AND u.attempt = n.attempt)
         AND NOT EXISTS (SELECT 1 FROM parsed_record p WHERE p.notice_id = n.notice_id AND p.attempt = n.attempt)
       ORDER BY n.notice_id LIMIT $1`,
      [limit, afterNoticeId],
    );
    return rows.map((r) => r.notice_id);
  }
}

function toNotice(r: NoticeRow): NoticeListItem {
  return {
    noticeId: r.notice_id,
    source: r.source,
    ...(r.sender !== null ? { sender: r.sender } : {}),
    ...(r.subject !== null ? { subject: r.subject } : {}),
    receivedAt: epoch(r.received_at),
    size: r.size,
    sha256: r.sha256,
    ...(r.provider_hint !== null ? { providerHint: r.provider_hint } : {}),
    attempt: r.attempt,
    outcome: r.outcome,
    storedAt: epoch(r.stored_at),
  };
}

function toRecordItem(r: Record<string, unknown>): NoticeRecordItem {
  const item: NoticeRecordItem = { id: r.id as string, noticeId: r.notice_id as string, attempt: r.attempt as number, receivedAt: epoch(r.received_at as Date) };
  const opt = <K extends keyof NoticeRecordItem>(key: K, column: string) => {
    const v = r[column];
    if (v !== null && v !== undefined) item[key] = v as NoticeRecordItem[K];
  };
  opt('providerType', 'provider_type');
  opt('sender', 'sender');
  opt('subject', 'subject');
  opt('index', 'index');
  opt('count', 'count');
  opt('maintenanceKey', 'maintenance_key');
  opt('maintenanceId', 'maintenance_id');
  opt('outcome', 'outcome');
  opt('parsers', 'parsers');
  opt('reasons', 'reasons');
  opt('reason', 'reason');
  return item;
}
