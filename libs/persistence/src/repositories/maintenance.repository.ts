import { randomUUID } from 'node:crypto';
import type { Authenticity, Impact, MaintenanceStatus } from '@maintwatch/contracts';
import type { EntityManager } from 'typeorm';
import type { ClockPhase } from '../entities/maintenance.entity';
import type { NoteLevel } from '../entities/note.entity';
import { StoreNotFoundError } from '../errors';
import { epoch, fromEpoch, pgJson, pgText, type ImpactRecord, type MaintenanceRecord, type NoteRecord, type WindowLabel, type WindowRecord } from '../models';
import { DEFERRED_SUMMARIES } from '../migrations/1768000000000-maintenance-summary';
import { returnedRows } from '../pg-errors';
import { CIRCUIT_COLUMNS, toCircuit, type CircuitRow } from './circuit.repository';

/** The fields of a maintenance that notices set. */
export interface MaintenanceFields {
  account: string;
  organizer: string;
  uid: string;
  status: MaintenanceStatus;
  start: number;
  end: number;
  summary: string;
  sequence: number;
  stamp: number;
}

/** A maintenance to insert. */
export interface NewMaintenance extends MaintenanceFields {
  providerType: string;
  maintenanceId: string;
  phase: ClockPhase;
  lastNoticeId?: string;
  /** How the notice that last set the maintenance was authenticated. */
  authenticity?: Authenticity;
}

/** A change to a maintenance row (undefined = unchanged; null clears a link or the ack). */
export interface MaintenancePatch extends Partial<MaintenanceFields> {
  version?: number;
  phase?: ClockPhase;
  lastNoticeId?: string;
  replacesId?: string | null;
  replacedById?: string | null;
  acknowledged?: { by: string; at: number } | null;
}

/** One impact to store. */
export interface ImpactInput {
  circuitKey: string;
  circuitRef: string;
  circuitId?: string;
  impact: Impact;
}

/** A note to add. */
export interface NoteInput {
  maintenanceId: string;
  author: string;
  level: NoteLevel;
  text: string;
}

/** A maintenance with the keys of the circuits it names. */
export interface MaintenanceWithCircuits {
  maintenance: MaintenanceRecord;
  circuitKeys: string[];
}

interface MaintenanceRow {
  id: string;
  provider_type: string;
  maintenance_id: string;
  account: string;
  organizer: string;
  uid: string;
  status: MaintenanceStatus;
  starts_at: Date;
  ends_at: Date;
  summary: string;
  sequence: number;
  stamp: Date;
  version: number;
  phase: ClockPhase;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  replaces_id: string | null;
  replaced_by_id: string | null;
  last_notice_id: string | null;
  authenticity: Authenticity | null;
  created_at: Date;
  updated_at: Date;
}

/** Columns of a maintenance (m = maintenance). */
export const MAINTENANCE_COLUMNS = `m.id, m.provider_type, m.maintenance_id, m.account, m.organizer, m.uid, m.status, m.starts_at, m.ends_at,
  m.summary, m.sequence, m.stamp, m.version, m.phase, m.acknowledged_by, m.acknowledged_at, m.replaces_id, m.replaced_by_id,
  m.last_notice_id, m.authenticity, m.created_at, m.updated_at`;

const RETURNING = MAINTENANCE_COLUMNS.replace(/\bm\./g, '');

/** Maintenances with their impacts, window history and notes. */
export class MaintenanceRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * Inserts the maintenance unless its key exists. Returns the new row (locked by this
   * transaction until it ends), or undefined when the key was taken: then lock it with lockByKey.
   */
  async insertIfAbsent(n: NewMaintenance): Promise<MaintenanceRecord | undefined> {
    const rows: MaintenanceRow[] = await this.m.query(
      `INSERT INTO maintenance (id, provider_type, maintenance_id, account, organizer, uid, status, starts_at, ends_at, summary,
         sequence, stamp, version, phase, last_notice_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14)
       ON CONFLICT (provider_type, maintenance_id) DO NOTHING RETURNING ${RETURNING}`,
      [
        randomUUID(),
        n.providerType,
        pgText(n.maintenanceId),
        pgText(n.account),
        pgText(n.organizer),
        pgText(n.uid),
        n.status,
        fromEpoch(n.start),
        fromEpoch(n.end),
        pgText(n.summary),
        n.sequence,
        fromEpoch(n.stamp),
        n.phase,
        n.lastNoticeId ?? null,
      ],
    );
    return rows[0] && toMaintenance(rows[0]);
  }

  /** The maintenance of this key, locked until the transaction ends. */
  async lockByKey(providerType: string, maintenanceId: string): Promise<MaintenanceRecord | undefined> {
    const rows: MaintenanceRow[] = await this.m.query(
      `SELECT ${MAINTENANCE_COLUMNS} FROM maintenance m WHERE m.provider_type = $1 AND m.maintenance_id = $2 FOR NO KEY UPDATE`,
      [providerType, pgText(maintenanceId)],
    );
    return rows[0] && toMaintenance(rows[0]);
  }

  /** The maintenance of this id, locked until the transaction ends. */
  async lockById(id: string): Promise<MaintenanceRecord | undefined> {
    const rows: MaintenanceRow[] = await this.m.query(`SELECT ${MAINTENANCE_COLUMNS} FROM maintenance m WHERE m.id = $1 FOR NO KEY UPDATE`, [id]);
    return rows[0] && toMaintenance(rows[0]);
  }

  /** The maintenance of this key. */
  async getByKey(providerType: string, maintenanceId: string): Promise<MaintenanceRecord | undefined> {
    const rows: MaintenanceRow[] = await this.m.query(
      `SELECT ${MAINTENANCE_COLUMNS} FROM maintenance m WHERE m.provider_type = $1 AND m.maintenance_id = $2`,
      [providerType, maintenanceId],
    );
    return rows[0] && toMaintenance(rows[0]);
  }

  /** The maintenance of this id. */
  async getById(id: string): Promise<MaintenanceRecord | undefined> {
    const rows: MaintenanceRow[] = await this.m.query(`SELECT ${MAINTENANCE_COLUMNS} FROM maintenance m WHERE m.id = $1`, [id]);
    return rows[0] && toMaintenance(rows[0]);
  }

  /** The provider maintenance ids of these rows, by row id. */
  async maintenanceIdsOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; maintenance_id: string }[] = await this.m.query(`SELECT id, maintenance_id FROM maintenance WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.maintenance_id]));
  }

  /** Changes a maintenance; returns it as it is now. */
  async update(id: string, patch: MaintenancePatch): Promise<MaintenanceRecord> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.account !== undefined) set('account', pgText(patch.account));
    if (patch.organizer !== undefined) set('organizer', pgText(patch.organizer));
    if (patch.uid !== undefined) set('uid', pgText(patch.uid));
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.start !== undefined) set('starts_at', fromEpoch(patch.start));
    if (patch.end !== undefined) set('ends_at', fromEpoch(patch.end));
    if (patch.summary !== undefined) set('summary', pgText(patch.summary));
    if (patch.sequence !== undefined) set('sequence', patch.sequence);
    if (patch.stamp !== undefined) set('stamp', fromEpoch(patch.stamp));
    if (patch.version !== undefined) set('version', patch.version);
    if (patch.phase !== undefined) set('phase', patch.phase);
    if (patch.lastNoticeId !== undefined) set('last_notice_id', patch.lastNoticeId);
    if (patch.replacesId !== undefined) set('replaces_id', patch.replacesId);
    if (patch.replacedById !== undefined) set('replaced_by_id', patch.replacedById);
    if (patch.acknowledged !== undefined) {
      set('acknowledged_by', patch.acknowledged?.by ?? null);
      set('acknowledged_at', patch.acknowledged ? fromEpoch(patch.acknowledged.at) : null);
    }
    const rows = returnedRows<MaintenanceRow>(
      await this.m.query(`UPDATE maintenance SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${RETURNING}`, params),
    );
    if (!rows[0]) throw new StoreNotFoundError(`maintenance ${id} does not exist`);
    return toMaintenance(rows[0]);
  }

  /** The circuits a maintenance names, with impact and (when known) the circuit, ordered by key. */
  async impacts(maintenanceId: string): Promise<ImpactRecord[]> {
    const rows: (CircuitRow & { circuit_key: string; circuit_ref: string; impact: Impact; circuit_known: boolean })[] = await this.m.query(
      `SELECT i.circuit_key, i.circuit_ref, i.impact, (c.id IS NOT NULL) AS circuit_known, ${CIRCUIT_COLUMNS}
       FROM circuit_impact i LEFT JOIN circuit c ON c.id = i.circuit_id
       WHERE i.maintenance_id = $1 ORDER BY i.circuit_key`,
      [maintenanceId],
    );
    return rows.map((r) => ({
      circuitKey: r.circuit_key,
      circuitRef: r.circuit_ref,
      impact: r.impact,
      ...(r.circuit_known ? { circuit: toCircuit(r) } : {}),
    }));
  }

  /** Replaces the circuits a maintenance names. */
  async replaceImpacts(maintenanceId: string, impacts: readonly ImpactInput[], options: { isNew?: boolean } = {}): Promise<void> {
    if (!options.isNew) await this.m.query(`DELETE FROM circuit_impact WHERE maintenance_id = $1`, [maintenanceId]);
    if (impacts.length === 0) return;
    await this.m.query(
      `INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, circuit_id, impact)
       SELECT $1, x.key, x.ref, x.circuit, x.impact FROM jsonb_to_recordset($2::jsonb) AS x(key text, ref text, circuit uuid, impact text)`,
      [maintenanceId, JSON.stringify(impacts.map((i) => ({ key: pgText(i.circuitKey), ref: pgText(i.circuitRef), circuit: i.circuitId ?? null, impact: i.impact })))],
    );
  }

  /** Appends a window to the maintenance's history. */
  async addWindow(maintenanceId: string, w: { start: number; end: number; sequence: number; stamp: number; noticeId?: string }): Promise<void> {
    await this.m.query(
      `INSERT INTO maintenance_window (maintenance_id, starts_at, ends_at, sequence, stamp, notice_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [maintenanceId, fromEpoch(w.start), fromEpoch(w.end), w.sequence, fromEpoch(w.stamp), w.noticeId ?? null],
    );
  }

  /** Every window the maintenance has had, oldest first (the last is the current one). */
  async windows(maintenanceId: string): Promise<WindowRecord[]> {
    const rows: { starts_at: Date; ends_at: Date; sequence: number; stamp: Date; notice_id: string | null; recorded_at: Date; label: string }[] = await this.m.query(
      `SELECT starts_at, ends_at, sequence, stamp, notice_id, recorded_at, label FROM maintenance_window WHERE maintenance_id = $1 ORDER BY id`,
      [maintenanceId],
    );
    return rows.map((r) => ({
      start: epoch(r.starts_at),
      end: epoch(r.ends_at),
      sequence: r.sequence,
      stamp: epoch(r.stamp),
      ...(r.notice_id !== null ? { noticeId: r.notice_id } : {}),
      recordedAt: epoch(r.recorded_at),
      label: r.label === 'backup' ? 'backup' : 'primary',
    }));
  }

  /** Adds notes. */
  async addNotes(notes: readonly NoteInput[]): Promise<void> {
    if (notes.length === 0) return;
    await this.m.query(
      `INSERT INTO note (maintenance_id, author, level, text)
       SELECT x.maintenance_id, x.author, x.level, x.text FROM jsonb_to_recordset($1::jsonb) AS x(maintenance_id uuid, author text, level text, text text)`,
      [JSON.stringify(notes.map((n) => ({ maintenance_id: n.maintenanceId, author: pgText(n.author), level: n.level, text: pgText(n.text) })))],
    );
  }

  /** The notes of a maintenance, oldest first. */
  async notes(maintenanceId: string): Promise<NoteRecord[]> {
    const rows: { id: string; maintenance_id: string; author: string; level: NoteLevel; text: string; created_at: Date }[] = await this.m.query(
      `SELECT id, maintenance_id, author, level, text, created_at FROM note WHERE maintenance_id = $1 ORDER BY created_at, id`,
      [maintenanceId],
    );
    return rows.map((r) => ({ id: r.id, maintenanceId: r.maintenance_id, author: r.author, level: r.level, text: r.text, createdAt: epoch(r.created_at) }));
  }

  /**
   * Maintenances of a provider marked RE-SCHEDULED whose window never moved (so the new window
   * is still to come, under another id) and that are not linked to a replacement yet, with the
   * circuits they name, locked (the caller links at most one).
   */
  async rescheduledUnreplaced(providerType: string, excludeId: string, limit = 200): Promise<MaintenanceWithCircuits[]> {
    const rows: (MaintenanceRow & { circuit_keys: string[] })[] = await this.m.query(
      `SELECT ${MAINTENANCE_COLUMNS}, ARRAY(SELECT i.circuit_key FROM circuit_impact i WHERE i.maintenance_id = m.id) AS circuit_keys
       FROM maintenance m
       WHERE m.provider_type = $1 AND m.status = 'RE-SCHEDULED' AND m.replaced_by_id IS NULL AND m.id <> $2
         AND NOT EXISTS (SELECT 1 FROM maintenance_window w WHERE w.maintenance_id = m.id AND (w.starts_at <> m.starts_at OR w.ends_at <> m.ends_at))
       ORDER BY m.starts_at LIMIT $3 FOR NO KEY UPDATE OF m`,
      [providerType, excludeId, limit],
    );
    return rows.map((r) => ({ maintenance: toMaintenance(r), circuitKeys: r.circuit_keys }));
  }

  /**
   * Maintenances of a provider that could be the replacement announced for `old` under a new
   * id: not replacing anything yet, not cancelled, completed or re-scheduled themselves, and
   * either naming the old id in their summary or starting within the horizon of its window.
   */
  async replacementCandidates(
    old: Pick<MaintenanceRecord, 'id' | 'providerType' | 'maintenanceId' | 'start'>,
    horizonSeconds: number,
    limit = 200,
  ): Promise<MaintenanceWithCircuits[]> {
    const rows: (MaintenanceRow & { circuit_keys: string[] })[] = await this.m.query(
      `SELECT ${MAINTENANCE_COLUMNS}, ARRAY(SELECT i.circuit_key FROM circuit_impact i WHERE i.maintenance_id = m.id) AS circuit_keys
       FROM maintenance m
       WHERE m.provider_type = $1 AND m.id <> $2 AND m.replaces_id IS NULL
         AND m.status NOT IN ('CANCELLED', 'COMPLETED', 'RE-SCHEDULED')
         AND (strpos(lower(m.summary), lower($3)) > 0 OR m.starts_at BETWEEN $4::timestamptz - make_interval(secs => $5) AND $4::timestamptz + make_interval(secs => $5))
       ORDER BY m.created_at LIMIT $6 FOR NO KEY UPDATE OF m`,
      [old.providerType, old.id, old.maintenanceId, fromEpoch(old.start), horizonSeconds, limit],
    );
    return rows.map((r) => ({ maintenance: toMaintenance(r), circuitKeys: r.circuit_keys }));
  }

  /**
   * The maintenances of these keys that exist, locked until the transaction ends. Rows are
   * locked in key order, so concurrent batches cannot deadlock on each other. Every row lock
   * here is FOR NO KEY UPDATE (the keys never change): it excludes other writers of the row but
   * not the foreign-key checks of rows that refer to it (an overlap or outbox row another batch
   * writes), which FOR UPDATE blocks: with the overlap lock that made a deadlock, found only
   * after PostgreSQL's deadlock_timeout (1 s) with both batches stalled.
   */
  async lockByKeys(keys: readonly { providerType: string; maintenanceId: string }[]): Promise<MaintenanceRecord[]> {
    if (keys.length === 0) return [];
    const rows: MaintenanceRow[] = await this.m.query(
      `SELECT ${MAINTENANCE_COLUMNS} FROM maintenance m
       JOIN jsonb_to_recordset($1::jsonb) AS k(p text, id text) ON m.provider_type = k.p AND m.maintenance_id = k.id
       ORDER BY m.provider_type, m.maintenance_id FOR NO KEY UPDATE OF m`,
      [JSON.stringify(keys.map((k) => ({ p: k.providerType, id: pgText(k.maintenanceId) })))],
    );
    return rows.map(toMaintenance);
  }

  /** The impacts of several maintenances, by maintenance id (ordered by circuit key). */
  async impactsOf(maintenanceIds: readonly string[]): Promise<Map<string, ImpactRecord[]>> {
    const out = new Map<string, ImpactRecord[]>(maintenanceIds.map((id) => [id, []]));
    if (maintenanceIds.length === 0) return out;
    const rows: (CircuitRow & { maintenance_id: string; circuit_key: string; circuit_ref: string; impact: Impact; circuit_known: boolean })[] = await this.m.query(
      `SELECT i.maintenance_id, i.circuit_key, i.circuit_ref, i.impact, (c.id IS NOT NULL) AS circuit_known, ${CIRCUIT_COLUMNS}
       FROM circuit_impact i LEFT JOIN circuit c ON c.id = i.circuit_id
       WHERE i.maintenance_id = ANY($1::uuid[]) ORDER BY i.maintenance_id, i.circuit_key`,
      [maintenanceIds],
    );
    for (const r of rows) {
      out.get(r.maintenance_id)?.push({ circuitKey: r.circuit_key, circuitRef: r.circuit_ref, impact: r.impact, ...(r.circuit_known ? { circuit: toCircuit(r) } : {}) });
    }
    return out;
  }

  /**
   * Inserts maintenances whose ids the caller chose (in key order). Returns the ids inserted:
   * one missing means its key was taken meanwhile (another replica), and the caller retries.
   */
  async insertMany(rows: readonly (NewMaintenance & { id: string; version: number; replacesId?: string; replacedById?: string })[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const sorted = [...rows].sort((a, b) => cmp(a.providerType, b.providerType) || cmp(a.maintenanceId, b.maintenanceId));
    const inserted: { id: string }[] = await this.m.query(
      `INSERT INTO maintenance (id, provider_type, maintenance_id, account, organizer, uid, status, starts_at, ends_at, summary,
         sequence, stamp, version, phase, last_notice_id, replaces_id, replaced_by_id, authenticity)
       SELECT x.id, x.provider_type, x.maintenance_id, x.account, x.organizer, x.uid, x.status, to_timestamp(x.starts_at), to_timestamp(x.ends_at),
         x.summary, x.sequence, to_timestamp(x.stamp), x.version, x.phase, x.last_notice_id, x.replaces_id, x.replaced_by_id, x.authenticity
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id uuid, provider_type text, maintenance_id text, account text, organizer text,
         uid text, status text, starts_at bigint, ends_at bigint, summary text, sequence int, stamp bigint, version int, phase text,
         last_notice_id text, replaces_id uuid, replaced_by_id uuid, authenticity jsonb))
         WITH ORDINALITY AS x(id, provider_type, maintenance_id, account, organizer, uid, status, starts_at, ends_at, summary, sequence,
         stamp, version, phase, last_notice_id, replaces_id, replaced_by_id, authenticity, ord)
       ORDER BY x.ord
       ON CONFLICT (provider_type, maintenance_id) DO NOTHING RETURNING id`,
      [pgJson(sorted.map((r) => ({ ...toColumns(r), id: r.id, provider_type: r.providerType, maintenance_id: r.maintenanceId })))],
    );
    return new Set(inserted.map((r) => r.id));
  }

  /** Writes the whole state of maintenances the caller holds locked. */
  async updateMany(rows: readonly (MaintenanceFields & { id: string; version: number; phase: ClockPhase; lastNoticeId?: string; replacesId?: string; replacedById?: string; authenticity?: Authenticity })[]): Promise<void> {
    if (rows.length === 0) return;
    await this.m.query(
      `UPDATE maintenance m SET account = x.account, organizer = x.organizer, uid = x.uid, status = x.status,
         starts_at = to_timestamp(x.starts_at), ends_at = to_timestamp(x.ends_at), summary = x.summary, sequence = x.sequence,
         stamp = to_timestamp(x.stamp), version = x.version, phase = x.phase, last_notice_id = x.last_notice_id,
         replaces_id = x.replaces_id, replaced_by_id = x.replaced_by_id, authenticity = x.authenticity, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, account text, organizer text, uid text, status text, starts_at bigint, ends_at bigint,
         summary text, sequence int, stamp bigint, version int, phase text, last_notice_id text, replaces_id uuid, replaced_by_id uuid, authenticity jsonb)
       WHERE m.id = x.id`,
      [pgJson(rows.map((r) => ({ ...toColumns(r), id: r.id })))],
    );
  }

  /**
   * Leaves the list entries (maintenance_summary) of what this transaction writes to
   * refreshSummaries, instead of refreshing them after each statement. In a transaction only;
   * call refreshSummaries after the transaction's last write to those maintenances (a later
   * write in the same transaction keeps the row's xmin, so the list would not notice it).
   */
  async deferSummaries(): Promise<void> {
    await this.m.query(`SELECT set_config('${DEFERRED_SUMMARIES}', 'on', true)`);
  }

  /** Recomputes the list entries of these maintenances (see deferSummaries). */
  async refreshSummaries(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.m.query(`SELECT maintwatch_refresh_summaries($1::uuid[])`, [ids]);
  }

  /** Replaces the impacts of several maintenances (new ones have none to delete). */
  async replaceImpactsMany(byMaintenance: ReadonlyMap<string, { impacts: readonly ImpactInput[]; isNew: boolean }>): Promise<void> {
    const replaced = [...byMaintenance].filter(([, v]) => !v.isNew).map(([id]) => id);
    if (replaced.length > 0) await this.m.query(`DELETE FROM circuit_impact WHERE maintenance_id = ANY($1::uuid[])`, [replaced]);
    const all = [...byMaintenance].flatMap(([id, v]) =>
      v.impacts.map((i) => ({ m: id, key: pgText(i.circuitKey), ref: pgText(i.circuitRef), circuit: i.circuitId ?? null, impact: i.impact })),
    );
    if (all.length === 0) return;
    await this.m.query(
      `INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, circuit_id, impact)
       SELECT x.m, x.key, x.ref, x.circuit, x.impact FROM jsonb_to_recordset($1::jsonb) AS x(m uuid, key text, ref text, circuit uuid, impact text)`,
      [JSON.stringify(all)],
    );
  }

  /** Appends windows to the histories of several maintenances, in the order given. */
  async addWindows(
    windows: readonly { maintenanceId: string; start: number; end: number; sequence: number; stamp: number; noticeId?: string; label?: WindowLabel }[],
  ): Promise<void> {
    if (windows.length === 0) return;
    await this.m.query(
      `INSERT INTO maintenance_window (maintenance_id, starts_at, ends_at, sequence, stamp, notice_id, label)
       SELECT x.m, to_timestamp(x.s), to_timestamp(x.e), x.seq, to_timestamp(x.st), x.n, x.l
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (m uuid, s bigint, e bigint, seq int, st bigint, n text, l text)) WITH ORDINALITY AS x(m, s, e, seq, st, n, l, ord) ORDER BY x.ord`,
      [pgJson(windows.map((w) => ({ m: w.maintenanceId, s: w.start, e: w.end, seq: w.sequence, st: w.stamp, n: w.noticeId ?? null, l: w.label ?? 'primary' })))],
    );
  }

  /**
   * RE-SCHEDULED maintenances of these providers still waiting for their replacement (see
   * rescheduledUnreplaced), not locked: lock the one chosen and check it again.
   */
  async rescheduledUnreplacedOf(providerTypes: readonly string[], limit = 500): Promise<MaintenanceWithCircuits[]> {
    if (providerTypes.length === 0) return [];
    const rows: (MaintenanceRow & { circuit_keys: string[] })[] = await this.m.query(
      `SELECT ${MAINTENANCE_COLUMNS}, ARRAY(SELECT i.circuit_key FROM circuit_impact i WHERE i.maintenance_id = m.id) AS circuit_keys
       FROM maintenance m
       WHERE m.provider_type = ANY($1) AND m.status = 'RE-SCHEDULED' AND m.replaced_by_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM maintenance_window w WHERE w.maintenance_id = m.id AND (w.starts_at <> m.starts_at OR w.ends_at <> m.ends_at))
       ORDER BY m.provider_type, m.maintenance_id LIMIT $2`,
      [providerTypes, limit],
    );
    return rows.map((r) => ({ maintenance: toMaintenance(r), circuitKeys: r.circuit_keys }));
  }

  /**
   * Maintenances with a clock transition due at `now` (starting within `leadSeconds`, started,
   * or ended), locked, skipping rows another transaction holds. Cancelled, completed and
   * replaced maintenances have none.
   */
  async dueForClock(now: number, leadSeconds: number, limit: number): Promise<MaintenanceRecord[]> {
    const rows: MaintenanceRow[] = await this.m.query(
      `SELECT ${MAINTENANCE_COLUMNS} FROM maintenance m
       WHERE m.phase <> 'ended' AND m.starts_at <= $2::timestamptz
         AND m.status NOT IN ('CANCELLED', 'COMPLETED') AND m.replaced_by_id IS NULL
         AND (m.phase = 'scheduled' OR (m.phase = 'starting-soon' AND m.starts_at <= $1::timestamptz)
              OR (m.phase = 'started' AND m.ends_at <= $1::timestamptz))
       ORDER BY m.starts_at, m.id LIMIT $3 FOR NO KEY UPDATE OF m SKIP LOCKED`,
      [fromEpoch(now), fromEpoch(now + leadSeconds), limit],
    );
    return rows.map(toMaintenance);
  }
}

/** A maintenance record from a row selected with MAINTENANCE_COLUMNS. */
export function toMaintenance(r: MaintenanceRow): MaintenanceRecord {
  const rec: MaintenanceRecord = {
    id: r.id,
    providerType: r.provider_type,
    maintenanceId: r.maintenance_id,
    account: r.account,
    organizer: r.organizer,
    uid: r.uid,
    status: r.status,
    start: epoch(r.starts_at),
    end: epoch(r.ends_at),
    summary: r.summary,
    sequence: r.sequence,
    stamp: epoch(r.stamp),
    version: r.version,
    phase: r.phase,
    createdAt: epoch(r.created_at),
    updatedAt: epoch(r.updated_at),
  };
  if (r.acknowledged_by !== null && r.acknowledged_at !== null) rec.acknowledged = { by: r.acknowledged_by, at: epoch(r.acknowledged_at) };
  if (r.replaces_id !== null) rec.replacesId = r.replaces_id;
  if (r.replaced_by_id !== null) rec.replacedById = r.replaced_by_id;
  if (r.last_notice_id !== null) rec.lastNoticeId = r.last_notice_id;
  if (r.authenticity) rec.authenticity = r.authenticity;
  return rec;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


function toColumns(r: MaintenanceFields & { version: number; phase: ClockPhase; lastNoticeId?: string; replacesId?: string; replacedById?: string; authenticity?: Authenticity }) {
  return {
    account: r.account,
    organizer: r.organizer,
    uid: r.uid,
    status: r.status,
    starts_at: r.start,
    ends_at: r.end,
    summary: r.summary,
    sequence: r.sequence,
    stamp: r.stamp,
    version: r.version,
    phase: r.phase,
    last_notice_id: r.lastNoticeId ?? null,
    replaces_id: r.replacesId ?? null,
    replaced_by_id: r.replacedById ?? null,
    authenticity: r.authenticity ?? null,
  };
}
