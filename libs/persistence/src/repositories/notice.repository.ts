import type { Authenticity, Maintenance, RawNoticeMeta } from '@maintwatch/contracts';
import type { EntityManager } from 'typeorm';
import type { ParsedOutcome } from '../entities/notice.entities';
import { epoch, fromEpoch, pgJson, pgText, type ParsedRecord } from '../models';

/** A stored raw notice. */
export interface StoredRawNotice {
  noticeId: string;
  source: string;
  sender?: string;
  subject?: string;
  receivedAt: number;
  size: number;
  sha256: string;
  providerHint?: string;
  attempt: number;
  correlationId: string;
  body: Buffer;
  storedAt: number;
}

/** A parsed record to store. */
export interface ParsedRecordInput {
  noticeId: string;
  attempt: number;
  index: number;
  count: number;
  providerType: string;
  maintenanceId?: string;
  outcome: ParsedOutcome;
  parsers: string[];
  maintenance: Maintenance;
  /** The parser's authenticity verdict on the notice. */
  authenticity?: Authenticity;
}

/** An unparsed or ignored notice record to store. */
export interface NoticeOutcomeInput {
  noticeId: string;
  attempt: number;
  providerType?: string;
  sender?: string;
  subject?: string;
}

/** An unparsed notice to record. */
export type UnparsedInput = NoticeOutcomeInput & { reasons: string[] };
/** An ignored notice to record. */
export type IgnoredInput = NoticeOutcomeInput & { reason: string };

const opt = (s: string | undefined) => (s === undefined ? null : pgText(s));

/** Raw notices (the bytes, kept) and what became of each: parsed, unparsed, ignored records. */
export class NoticeRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Stores the raw notice once per notice id ('stored'); a redelivery or a reprocessing
   * attempt of a known notice only raises the attempt seen ('known').
   */
  async saveRaw(meta: RawNoticeMeta, body: Uint8Array): Promise<'stored' | 'known'> {
    const [answer] = await this.saveRawMany([{ meta, body }]);
    return answer;
  }

  /**
   * saveRaw for many notices in one statement (one round trip, one commit), each answer in the
   * order given. The same notice id twice is stored once: the first is 'stored' (or 'known'),
   * the others 'known', and the attempt kept is the highest, as saveRaw one after the other does.
   */
  async saveRawMany(notices: readonly { meta: RawNoticeMeta; body: Uint8Array }[]): Promise<('stored' | 'known')[]> {
    if (notices.length === 0) return [];
    const first = new Map<string, { meta: RawNoticeMeta; body: Uint8Array; attempt: number }>();
    for (const n of notices) {
      const id = pgText(n.meta.noticeId);
      const seen = first.get(id);
      if (seen) seen.attempt = Math.max(seen.attempt, n.meta.attempt);
      else first.set(id, { ...n, attempt: n.meta.attempt });
    }
    // In notice id order: two statements upserting some of the same ids lock them in one order.
    const rows = [...first.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const params: unknown[] = [];
    const values = rows.map(([id, { meta, body, attempt }]) => {
      const at = params.length;
      params.push(
        id,
        meta.source,
        opt(meta.sender),
        opt(meta.subject),
        fromEpoch(meta.receivedAt),
        meta.size,
        meta.sha256,
        opt(meta.providerHint),
        attempt,
        pgText(meta.correlationId),
        Buffer.from(body.buffer, body.byteOffset, body.byteLength),
      );
      return `(${Array.from({ length: 11 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
    });
    const result: { notice_id: string; inserted: boolean }[] = await this.m.query(
      `INSERT INTO raw_notice (notice_id, source, sender, subject, received_at, size, sha256, provider_hint, attempt, correlation_id, body)
       VALUES ${values.join(', ')}
       ON CONFLICT (notice_id) DO UPDATE SET attempt = GREATEST(raw_notice.attempt, excluded.attempt)
       RETURNING notice_id, (xmax = 0) AS inserted`,
      params,
    );
    const inserted = new Set(result.filter((r) => r.inserted).map((r) => r.notice_id));
    return notices.map((n) => {
      const id = pgText(n.meta.noticeId);
      if (!inserted.delete(id)) return 'known';
      return 'stored';
    });
  }

  /** A raw notice with its bytes. */
  async getRaw(noticeId: string): Promise<StoredRawNotice | undefined> {
    const rows: RawNoticeRow[] = await this.m.query(`SELECT * FROM raw_notice WHERE notice_id = $1`, [noticeId]);
    return rows[0] && rawNoticeFromRow(rows[0]);
  }


  /** Records a parsed maintenance; false when this (notice, attempt, index) was recorded before. */
  async recordParsed(p: ParsedRecordInput): Promise<boolean> {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO parsed_record (notice_id, attempt, index, count, provider_type, maintenance_key, maintenance_id, outcome, parsers, maintenance_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT ON CONSTRAINT "UQ_parsed_record_message" DO NOTHING RETURNING id`,
      [
        pgText(p.noticeId),
        p.attempt,
        p.index,
        p.count,
        p.providerType,
        pgText(p.maintenance.maintenance_id),
        p.maintenanceId ?? null,
        p.outcome,
        p.parsers.map(pgText),
        pgJson(p.maintenance),
      ],
    );
    return rows.length === 1;
  }

  /** Which of these parsed messages were recorded before, as "<noticeId>#<attempt>/<index>". */
  async recordedParsed(keys: readonly { noticeId: string; attempt: number; index: number }[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: { k: string }[] = await this.m.query(
      `SELECT r.notice_id || '#' || r.attempt || '/' || r.index AS k FROM parsed_record r
       JOIN jsonb_to_recordset($1::jsonb) AS x(n text, a int, i int) ON r.notice_id = x.n AND r.attempt = x.a AND r.index = x.i`,
      [pgJson(keys.map((k) => ({ n: k.noticeId, a: k.attempt, i: k.index })))],
    );
    return new Set(rows.map((r) => r.k));
  }

  /** Records parsed maintenances; returns how many were new (fewer: some were recorded meanwhile). */
  async recordParsedMany(records: readonly ParsedRecordInput[]): Promise<number> {
    if (records.length === 0) return 0;
    const rows: unknown[] = await this.m.query(
      `INSERT INTO parsed_record (notice_id, attempt, index, count, provider_type, maintenance_key, maintenance_id, outcome, parsers, maintenance_json, authenticity)
       SELECT x.notice_id, x.attempt, x.index, x.count, x.provider_type, x.maintenance_key, x.maintenance_id, x.outcome,
         ARRAY(SELECT jsonb_array_elements_text(x.parsers)), x.maintenance_json, x.authenticity
       FROM jsonb_to_recordset($1::jsonb) AS x(notice_id text, attempt int, index int, count int, provider_type text, maintenance_key text,
         maintenance_id uuid, outcome text, parsers jsonb, maintenance_json jsonb, authenticity jsonb)
       ON CONFLICT ON CONSTRAINT "UQ_parsed_record_message" DO NOTHING RETURNING id`,
      [
        pgJson(
          records.map((p) => ({
            notice_id: p.noticeId,
            attempt: p.attempt,
            index: p.index,
            count: p.count,
            provider_type: p.providerType,
            maintenance_key: p.maintenance.maintenance_id,
            maintenance_id: p.maintenanceId ?? null,
            outcome: p.outcome,
            parsers: p.parsers,
            maintenance_json: p.maintenance,
            authenticity: p.authenticity ?? null,
          })),
        ),
      ],
    );
    return rows.length;
  }

  /** The parsed records of a notice, by attempt and index. */
  async parsedFor(noticeId: string): Promise<ParsedRecord[]> {
    const rows: {
      notice_id: string;
      attempt: number;
      index: number;
      count: number;
      provider_type: string;
      maintenance_key: string;
      maintenance_id: string | null;
      outcome: ParsedOutcome;
      parsers: string[];
      received_at: Date;
    }[] = await this.m.query(
      `SELECT notice_id, attempt, index, count, provider_type, maintenance_key, maintenance_id, outcome, parsers, received_at
       FROM parsed_record WHERE notice_id = $1 ORDER BY attempt, index`,
      [noticeId],
    );
    return rows.map((r) => ({
      noticeId: r.notice_id,
      attempt: r.attempt,
      index: r.index,
      count: r.count,
      providerType: r.provider_type,
      maintenanceKey: r.maintenance_key,
      ...(r.maintenance_id !== null ? { maintenanceId: r.maintenance_id } : {}),
      outcome: r.outcome,
      parsers: r.parsers,
      receivedAt: epoch(r.received_at),
    }));
  }

  /** Records an unparsed notice with its reasons; false when recorded before. */
  async recordUnparsed(u: UnparsedInput): Promise<boolean> {
    const [fresh] = await this.recordUnparsedMany([u]);
    return fresh === true;
  }

  /** recordUnparsed for many in one statement (one round trip, one commit), each answer in the order given. */
  recordUnparsedMany(list: readonly UnparsedInput[]): Promise<boolean[]> {
    return this.recordOutcomes('unparsed_record', 'reasons', 'UQ_unparsed_record_message', list, (u) => u.reasons.map(pgText));
  }

  /** Records an ignored notice with the reason; false when recorded before. */
  async recordIgnored(i: IgnoredInput): Promise<boolean> {
    const [fresh] = await this.recordIgnoredMany([i]);
    return fresh === true;
  }

  /** recordIgnored for many in one statement, each answer in the order given. */
  recordIgnoredMany(list: readonly IgnoredInput[]): Promise<boolean[]> {
    return this.recordOutcomes('ignored_record', 'reason', 'UQ_ignored_record_message', list, (i) => pgText(i.reason));
  }

  // One INSERT for the lot, in (notice id, attempt) order so that two statements with some of the
  // same records take their locks in one order. A record given twice is inserted once: the
  // first answer is whether it was new, the others false (as one call after the other answers).
  private async recordOutcomes<T extends NoticeOutcomeInput>(
    table: 'unparsed_record' | 'ignored_record',
    column: 'reasons' | 'reason',
    constraint: string,
    list: readonly T[],
    last: (item: T) => unknown,
  ): Promise<boolean[]> {
    if (list.length === 0) return [];
    const key = (noticeId: string, attempt: number) => `${attempt} ${noticeId}`;
    const unique = new Map<string, T>();
    for (const item of list) {
      const k = key(pgText(item.noticeId), item.attempt);
      if (!unique.has(k)) unique.set(k, item);
    }
    const params: unknown[] = [];
    const values = [...unique.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => {
        const at = params.length;
        params.push(pgText(item.noticeId), item.attempt, opt(item.providerType), opt(item.sender), opt(item.subject), last(item));
        return `(${Array.from({ length: 6 }, (_, i) => `$${at + i + 1}`).join(', ')})`;
      });
    const rows: { notice_id: string; attempt: number }[] = await this.m.query(
      `INSERT INTO ${table} (notice_id, attempt, provider_type, sender, subject, ${column}) VALUES ${values.join(', ')}
       ON CONFLICT ON CONSTRAINT "${constraint}" DO NOTHING RETURNING notice_id, attempt`,
      params,
    );
    const fresh = new Set(rows.map((r) => key(r.notice_id, r.attempt)));
    return list.map((item) => fresh.delete(key(pgText(item.noticeId), item.attempt)));
  }

  /** The unparsed records of a notice with their reasons. */
  async unparsedFor(noticeId: string): Promise<{ attempt: number; providerType?: string; reasons: string[] }[]> {
    const rows: { attempt: number; provider_type: string | null; reasons: string[] }[] = await this.m.query(
      `SELECT attempt, provider_type, reasons FROM unparsed_record WHERE notice_id = $1 ORDER BY attempt`,
      [noticeId],
    );
    return rows.map((r) => ({ attempt: r.attempt, ...(r.provider_type !== null ? { providerType: r.provider_type } : {}), reasons: r.reasons }));
  }

  /** The ignored records of a notice with their reasons. */
  async ignoredFor(noticeId: string): Promise<{ attempt: number; reason: string }[]> {
    return this.m.query(`SELECT attempt, reason FROM ignored_record WHERE notice_id = $1 ORDER BY attempt`, [noticeId]);
  }
}

/** A raw_notice row as PostgreSQL returns it. */
export interface RawNoticeRow {
  notice_id: string;
  source: string;
  sender: string | null;
  subject: string | null;
  received_at: Date;
  size: number;
  sha256: string;
  provider_hint: string | null;
  attempt: number;
  correlation_id: string;
  body: Buffer;
  stored_at: Date;
}

/** A raw_notice row as a StoredRawNotice (optional columns omitted when null). */
export function rawNoticeFromRow(r: RawNoticeRow): StoredRawNotice {
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
    correlationId: r.correlation_id,
    body: r.body,
    storedAt: epoch(r.stored_at),
  };
}
