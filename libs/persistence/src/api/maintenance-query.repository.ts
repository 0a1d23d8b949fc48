import type { Impact, MaintenanceStatus } from '@maintwatch/contracts';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import type { NoteLevel } from '../entities/note.entity';
import { StoreNotFoundError } from '../errors';
import { circuitKey, epoch, fromEpoch, pgText, type MaintenanceRecord, type NoteRecord } from '../models';
import { returnedRows } from '../pg-errors';
import { MAINTENANCE_COLUMNS, toMaintenance } from '../repositories/maintenance.repository';
import { Conditions, decodeCursor, encodeCursor, type Page } from './cursor';
import { InvalidCursorError } from './errors';
import { MAINTENANCE_WINDOW_RANGE } from './maintenance-overlap.entity';

/** Columns a maintenance list can be sorted by. */
export const MAINTENANCE_SORTS = ['start', 'end', 'updated', 'created'] as const;
/** One maintenance sort. */
export type MaintenanceSort = (typeof MAINTENANCE_SORTS)[number];

/** Where a maintenance stands in time. */
export const MAINTENANCE_TIMES = ['upcoming', 'in-progress', 'past'] as const;
/** One time filter. */
export type MaintenanceTime = (typeof MAINTENANCE_TIMES)[number];

/** Filters, order and page of a maintenance list. */
export interface MaintenanceQuery {
  statuses?: MaintenanceStatus[];
  providerType?: string;
  /** A circuit id (uuid) or any of its names. */
  circuit?: string;
  redundancyGroup?: string;
  /** Windows intersecting [from, to), epoch seconds. */
  from?: number;
  to?: number;
  time?: MaintenanceTime;
  unacknowledged?: boolean;
  overlapping?: boolean;
  /** Live ones only: not cancelled, completed, re-scheduled or replaced. */
  live?: boolean;
  now: number;
  sort: MaintenanceSort;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

/** A circuit named by a maintenance, in a list. */
export interface ListedImpact {
  providerCircuitId: string;
  impact: Impact;
  circuitId?: string;
  redundancyGroup?: string;
}

/** A maintenance in a list: the row, its circuits and whether it overlaps another. */
export interface MaintenanceListItem {
  maintenance: MaintenanceRecord;
  circuits: ListedImpact[];
  overlapping: boolean;
}

/** A page as JSON text: its items (MaintenanceSummary objects), comma-separated, without brackets. */
export interface JsonPage {
  itemsJson: string;
  count: number;
  nextCursor?: string;
}

/** A notice that touched a maintenance (one parsed record). */
export interface MaintenanceNotice {
  noticeId: string;
  attempt: number;
  index: number;
  outcome: string;
  parsers: string[];
  receivedAt: number;
  sender?: string;
  subject?: string;
}

const SORT_COLUMNS: Record<MaintenanceSort, string> = { start: 'm.starts_at', end: 'm.ends_at', updated: 'm.updated_at', created: 'm.created_at' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Epoch microseconds of a timestamptz, exact (the cursor keeps the sort key without rounding). */
const micros = (col: string) => `(extract(epoch FROM ${col}) * 1000000)::bigint::text`;
const fromMicros = (p: string) => `('epoch'::timestamptz + ${p}::bigint * interval '1 microsecond')`;

/** The maintenance reads of the API: filtered lists, notices of a maintenance, notes and acks. */
export class MaintenanceQueryRepository {
  constructor(private readonly m: EntityManager) {}

  /** One page of maintenances. InvalidCursorError for a cursor of another sort. */
  async list(q: MaintenanceQuery): Promise<Page<MaintenanceListItem>> {
    const { sql, params } = pageQuery(q);
    // The page is chosen first, then its circuits and overlap flags are read for those rows only.
    const rows: (Parameters<typeof toMaintenance>[0] & { sort_key: string; circuits: ListedImpact[]; overlapping: boolean })[] = await this.m.query(
      `SELECT p.*, maintwatch_listed_circuits(p.id) AS circuits, ${OVERLAPPING_P} AS overlapping
       FROM (${sql}) p
       ORDER BY p.sort_key::bigint ${direction(q)}, p.id ${direction(q)}`,
      params,
    );
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ maintenance: toMaintenance(r), circuits: r.circuits, overlapping: r.overlapping })),
      ...(more && last ? { nextCursor: encodeCursor(sortTag(q), [last.sort_key, last.id]) } : {}),
    };
  }

  /**
   * The same page as `list` as JSON text built by PostgreSQL: the items of the API's
   * MaintenanceSummary, comma-separated, in one value. The list endpoint sends them as they
   * are, with no row parsing, date conversion or serialisation in Node, and one string per
   * page rather than one per row (measured: per-row strings, their join and the response's
   * conversion were most of the service's allocation at 200 requests/s). A test holds the
   * two shapes equal.
   */
  async listJson(q: MaintenanceQuery): Promise<JsonPage> {
    const { sql, params } = pageQuery(q);
    const limit = `${Number(q.limit)}`;
    // Each entry as kept by the triggers (migration MaintenanceSummary1768000000000) while it
    // is the row's, else computed by the same SQL functions; the overlap flag is appended.
    const [row] = await this.prepared<{ items: string | null; n: string; more: boolean; last_sort_key: string | null; last_id: string | null }>(
      `WITH ranked AS (
         SELECT p.id, p.sort_key, row_number() OVER (ORDER BY p.sort_key::bigint ${direction(q)}, p.id ${direction(q)}) AS rn,
           CASE WHEN s.src_xmin = p.row_xmin THEN s.item
             ELSE (SELECT maintwatch_listed_head(m) || ',"circuits":' || maintwatch_listed_circuits(m.id)::text FROM maintenance m WHERE m.id = p.id) END
           || ',"overlapping":' || (${OVERLAPPING_P})::text || '}' AS item
         FROM (${sql}) p LEFT JOIN maintenance_summary s ON s.maintenance_id = p.id)
       SELECT string_agg(item, ',' ORDER BY rn) FILTER (WHERE rn <= ${limit}) AS items,
         (count(*) FILTER (WHERE rn <= ${limit}))::text AS n, count(*) > ${limit} AS more,
         max(sort_key) FILTER (WHERE rn = ${limit}) AS last_sort_key, max(id::text) FILTER (WHERE rn = ${limit}) AS last_id
       FROM ranked`,
      params,
    );
    return {
      itemsJson: row?.items ?? '',
      count: Number(row?.n ?? 0),
      ...(row?.more && row.last_sort_key && row.last_id ? { nextCursor: encodeCursor(sortTag(q), [row.last_sort_key, row.last_id]) } : {}),
    };
  }

  /**
   * Runs a statement prepared once per connection (named by a hash of its text): the list is
   * the API's hottest query, and parsing and planning it each time was ~15% of its cost.
   * Outside a transaction only (a transaction's manager runs it as usual).
   */
  private async prepared<T>(text: string, values: unknown[]): Promise<T[]> {
    const pool = (this.m.queryRunner ? undefined : (this.m.connection.driver as unknown as { master?: Pool }).master) as Pool | undefined;
    if (!pool) return this.m.query(text, values);
    return (await pool.query({ name: statementName(text), text, values })).rows as T[];
  }

  /** These maintenances, by id. */
  async byIds(ids: readonly string[]): Promise<Map<string, MaintenanceRecord>> {
    if (ids.length === 0) return new Map();
    const rows: Parameters<typeof toMaintenance>[0][] = await this.m.query(`SELECT ${MAINTENANCE_COLUMNS} FROM maintenance m WHERE m.id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, toMaintenance(r)]));
  }

  /** The notices (parsed records) that touched a maintenance, oldest first. */
  async notices(maintenanceId: string): Promise<MaintenanceNotice[]> {
    const rows: {
      notice_id: string;
      attempt: number;
      index: number;
      outcome: string;
      parsers: string[];
      received_at: Date;
      sender: string | null;
      subject: string | null;
    }[] = await this.m.query(
      `SELECT r.notice_id, r.attempt, r.index, r.outcome, r.parsers, r.received_at, n.sender, n.subject
       FROM parsed_record r LEFT JOIN raw_notice n ON n.notice_id = r.notice_id
       WHERE r.maintenance_id = $1 ORDER BY r.id`,
      [maintenanceId],
    );
    return rows.map((r) => ({
      noticeId: r.notice_id,
      attempt: r.attempt,
      index: r.index,
      outcome: r.outcome,
      parsers: r.parsers,
      receivedAt: epoch(r.received_at),
      ...(r.sender !== null ? { sender: r.sender } : {}),
      ...(r.subject !== null ? { subject: r.subject } : {}),
    }));
  }

  /** Maintenances for a calendar feed: every one whose window ends after `since`, by start. */
  async forCalendar(f: { providerType?: string; circuit?: string; redundancyGroup?: string; since: number; limit: number }): Promise<MaintenanceListItem[]> {
    const page = await this.list({
      providerType: f.providerType,
      circuit: f.circuit,
      redundancyGroup: f.redundancyGroup,
      from: f.since,
      now: f.since,
      sort: 'start',
      order: 'asc',
      limit: f.limit,
    });
    return page.items;
  }

  /** Adds a note; returns it. */
  async addNote(n: { maintenanceId: string; author: string; level: NoteLevel; text: string }): Promise<NoteRecord> {
    const rows: NoteRow[] = await this.m.query(
      `INSERT INTO note (maintenance_id, author, level, text) SELECT id, $2, $3, $4 FROM maintenance WHERE id = $1
       RETURNING id, maintenance_id, author, level, text, created_at`,
      [n.maintenanceId, pgText(n.author), n.level, pgText(n.text)],
    );
    if (!rows[0]) throw new StoreNotFoundError(`maintenance ${n.maintenanceId} does not exist`);
    return toNote(rows[0]);
  }

  /** Changes a note's text or level. */
  async updateNote(maintenanceId: string, noteId: string, patch: { text?: string; level?: NoteLevel }): Promise<NoteRecord> {
    const rows = returnedRows<NoteRow>(
      await this.m.query(
        `UPDATE note SET text = COALESCE($3, text), level = COALESCE($4, level) WHERE id = $2 AND maintenance_id = $1
         RETURNING id, maintenance_id, author, level, text, created_at`,
        [maintenanceId, noteId, patch.text === undefined ? null : pgText(patch.text), patch.level ?? null],
      ),
    );
    if (!rows[0]) throw new StoreNotFoundError(`note ${noteId} of maintenance ${maintenanceId} does not exist`);
    return toNote(rows[0]);
  }

  /** Deletes a note. */
  async deleteNote(maintenanceId: string, noteId: string): Promise<void> {
    const rows = returnedRows(await this.m.query(`DELETE FROM note WHERE id = $2 AND maintenance_id = $1 RETURNING id`, [maintenanceId, noteId]));
    if (rows.length === 0) throw new StoreNotFoundError(`note ${noteId} of maintenance ${maintenanceId} does not exist`);
  }
}

interface NoteRow {
  id: string;
  maintenance_id: string;
  author: string;
  level: NoteLevel;
  text: string;
  created_at: Date;
}

const OVERLAPPING_P = `EXISTS (SELECT 1 FROM maintenance_overlap o WHERE o.active AND (o.maintenance_a = p.id OR o.maintenance_b = p.id))`;

/** Names of prepared statements by their text (hashed once, not on every request). */
const STATEMENT_NAMES = new Map<string, string>();
function statementName(text: string): string {
  let name = STATEMENT_NAMES.get(text);
  if (name === undefined) {
    name = `mw_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    // The texts are few (one per filter and sort combination); bounded all the same.
    if (STATEMENT_NAMES.size >= 1000) STATEMENT_NAMES.clear();
    STATEMENT_NAMES.set(text, name);
  }
  return name;
}

const direction = (q: MaintenanceQuery) => (q.order === 'desc' ? 'DESC' : 'ASC');
const sortTag = (q: MaintenanceQuery) => `${q.sort}:${q.order}`;

/**
 * The SQL choosing one page of maintenances (limit + 1 rows, to tell whether more follow):
 * every maintenance column, the row's xmin and its sort key, in no particular order (the
 * caller orders).
 */
function pageQuery(q: MaintenanceQuery): { sql: string; params: unknown[] } {
  const c = new Conditions();
  const now = () => c.param(fromEpoch(q.now));
  if (q.statuses?.length) c.add(`m.status = ANY(${c.param(q.statuses)})`);
  if (q.providerType) c.add(`m.provider_type = ${c.param(q.providerType)}`);
  if (q.circuit !== undefined) {
    if (UUID.test(q.circuit)) c.add(`EXISTS (SELECT 1 FROM circuit_impact i WHERE i.maintenance_id = m.id AND i.circuit_id = ${c.param(q.circuit)}::uuid)`);
    else {
      const key = c.param(circuitKey(q.circuit));
      c.add(
        `EXISTS (SELECT 1 FROM circuit_impact i WHERE i.maintenance_id = m.id AND (i.circuit_key = ${key}
           OR i.circuit_id IN (SELECT n.circuit_id FROM circuit_name n WHERE n.name_key = ${key})))`,
      );
    }
  }
  if (q.redundancyGroup !== undefined) {
    c.add(`EXISTS (SELECT 1 FROM circuit_impact i JOIN circuit ci ON ci.id = i.circuit_id WHERE i.maintenance_id = m.id AND ci.redundancy_group = ${c.param(q.redundancyGroup)})`);
  }
  if (q.time === 'upcoming') c.add(`m.starts_at > ${now()}`);
  if (q.time === 'in-progress') {
    const p = now();
    c.add(`m.starts_at <= ${p} AND m.ends_at > ${p} AND ${MAINTENANCE_WINDOW_RANGE} @> ${p}::timestamptz`);
  }
  if (q.time === 'past') c.add(`m.ends_at <= ${now()}`);
  if (q.unacknowledged) c.add(`m.acknowledged_at IS NULL`);
  if (q.overlapping !== undefined) {
    c.add(`${q.overlapping ? '' : 'NOT '}EXISTS (SELECT 1 FROM maintenance_overlap o WHERE o.active AND (o.maintenance_a = m.id OR o.maintenance_b = m.id))`);
  }
  if (q.live) c.add(`m.status NOT IN ('CANCELLED', 'COMPLETED', 'RE-SCHEDULED') AND m.replaced_by_id IS NULL`);
  const col = SORT_COLUMNS[q.sort];
  const dir = direction(q);
  if (q.cursor !== undefined) {
    const [value, id] = decodeCursor(q.cursor, sortTag(q), 2) as [string, string];
    if (!/^-?\d{1,20}$/.test(value) || !UUID.test(id)) throw new InvalidCursorError('cursor is not one this API handed out');
    c.add(`(${col}, m.id) ${q.order === 'desc' ? '<' : '>'} (${fromMicros(c.param(value))}, ${c.param(id)}::uuid)`);
  }
  const limit = c.param(q.limit + 1);
  const to = q.to !== undefined ? c.param(fromEpoch(q.to)) : undefined;
  const from = q.from !== undefined ? c.param(fromEpoch(q.from)) : undefined;
  const page = (ids: string) => `SELECT ${MAINTENANCE_COLUMNS}, m.xmin AS row_xmin, ${micros(col)} AS sort_key FROM (${ids}) t JOIN maintenance m ON m.id = t.id`;
  const where = (...more: string[]) => {
    const all = [...c.where, ...more];
    return all.length > 0 ? `WHERE ${all.join(' AND ')}` : '';
  };
  const upper = `GREATEST(m.starts_at, m.ends_at)`;
  if (from && to && q.sort === 'start') {
    // Windows in [from, to) by start: those starting inside it are a range of the start index,
    // read in order and only as far as the page (a page of 50 reads ~50 index entries, not
    // every window of the period); those that started before it and are still open at `from`
    // are few, found through the GiST index. The page is the first rows of the two.
    return {
      sql: page(
        `WITH span AS MATERIALIZED (
           SELECT m.id, m.starts_at AS sort_col FROM maintenance m
           ${where(`${MAINTENANCE_WINDOW_RANGE} && tstzrange(${from}, ${from}, '[]')`, `m.starts_at < ${from}`, `${upper} > ${from}`)}),
         head AS MATERIALIZED (
           SELECT m.id, m.starts_at AS sort_col FROM maintenance m
           ${where(`m.starts_at >= ${from}`, `m.starts_at < ${to}`, `${upper} > ${from}`)}
           ORDER BY m.starts_at ${dir}, m.id ${dir} LIMIT ${limit})
         SELECT w.id FROM (SELECT * FROM span UNION ALL SELECT * FROM head) w ORDER BY w.sort_col ${dir}, w.id ${dir} LIMIT ${limit}`,
      ),
      params: c.params,
    };
  }
  if (from && to) {
    // Through the GiST index; then the exact bounds, written on the range so that the planner
    // does not also walk the b-trees on starts_at / ends_at (half the table each). With a
    // window, the GiST index finds the few windows in it and they are sorted after. Left to
    // itself the planner walks the sort column's index from the start and filters, which on a
    // large table reads every maintenance before the window: materialising forbids that plan.
    // The window's rows are chosen by (sort column, id) alone, read from the index when the
    // filters allow it, and only the page's rows are read in full.
    const window = [`${MAINTENANCE_WINDOW_RANGE} && tstzrange(${from}, ${to}, '[]')`, `lower(${MAINTENANCE_WINDOW_RANGE}) < ${to} AND upper(${MAINTENANCE_WINDOW_RANGE}) > ${from}`];
    return {
      sql: page(`WITH w AS MATERIALIZED (SELECT m.id, ${col} AS sort_col FROM maintenance m ${where(...window)})
                 SELECT w.id FROM w ORDER BY w.sort_col ${dir}, w.id ${dir} LIMIT ${limit}`),
      params: c.params,
    };
  }
  const bounds = [...(to ? [`m.starts_at < ${to}`] : []), ...(from ? [`m.ends_at > ${from}`] : [])];
  return { sql: `SELECT ${MAINTENANCE_COLUMNS}, m.xmin AS row_xmin, ${micros(col)} AS sort_key FROM maintenance m ${where(...bounds)} ORDER BY ${col} ${dir}, m.id ${dir} LIMIT ${limit}`, params: c.params };
}

function toNote(r: NoteRow): NoteRecord {
  return { id: r.id, maintenanceId: r.maintenance_id, author: r.author, level: r.level, text: r.text, createdAt: epoch(r.created_at) };
}
