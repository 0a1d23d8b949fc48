import type { EntityManager } from 'typeorm';
import { epoch, fromEpoch } from '../models';

/**
 * One circuit pairing that makes two maintenances overlap: the circuit of `a` and the circuit
 * of `b` are in one redundancy group, or (neither in a group) share an a-side or z-side.
 */
export interface OverlapMatch {
  a: string;
  b: string;
  aCircuit: string;
  bCircuit: string;
  /** The group both circuits are in, if that is what ties them. */
  group?: string;
}

/** An overlap as stored, with the other maintenance seen from one side. */
export interface OverlapRecord {
  maintenanceA: string;
  maintenanceB: string;
  aWindow: { start: number; end: number };
  bWindow: { start: number; end: number };
  sharedCircuits: string[];
  redundancyGroups: string[];
  active: boolean;
  generation: number;
  eventId: string;
  detectedAt: number;
  clearedAt?: number;
}

/** An overlap to write (raise or refresh). */
export interface OverlapUpsert {
  maintenanceA: string;
  maintenanceB: string;
  aWindow: { start: number; end: number };
  bWindow: { start: number; end: number };
  sharedCircuits: string[];
  redundancyGroups: string[];
  generation: number;
  eventId: string;
  at: number;
}

interface OverlapRow {
  maintenance_a: string;
  maintenance_b: string;
  a_starts_at: Date;
  a_ends_at: Date;
  b_starts_at: Date;
  b_ends_at: Date;
  shared_circuits: string[];
  redundancy_groups: string[];
  active: boolean;
  generation: number;
  event_id: string;
  detected_at: Date;
  cleared_at: Date | null;
}

const COLUMNS = `maintenance_a, maintenance_b, a_starts_at, a_ends_at, b_starts_at, b_ends_at, shared_circuits, redundancy_groups, active,
  generation, event_id, detected_at, cleared_at`;

// A maintenance that will still take place in its window: not cancelled, completed, re-scheduled
// (its window is the old one) or replaced, and not over.
const LIVE = (m: string) => `${m}.status NOT IN ('CANCELLED', 'COMPLETED', 'RE-SCHEDULED') AND ${m}.replaced_by_id IS NULL AND ${m}.ends_at > $2`;

/** Overlapping maintenances: found from the circuits of changed ones, stored per pair. */
export class OverlapRepository {
  constructor(private readonly m: EntityManager) {}

  /**
   * The circuit pairings that make these maintenances overlap others now (windows intersecting,
   * both live). Starts from their circuits: the circuits of the same groups or sharing a side,
   * then the maintenances naming those (index probes, not a scan of every window).
   */
  async matches(maintenanceIds: readonly string[], now: number, includeNoImpact: boolean): Promise<OverlapMatch[]> {
    if (maintenanceIds.length === 0) return [];
    const rows: { a: string; b: string; a_circuit: string; b_circuit: string; grp: string | null }[] = await this.m.query(
      `WITH a_imp AS (
         SELECT i.maintenance_id AS m, c.id AS cid, c.provider_circuit_id AS name, c.redundancy_group AS g, c.a_side, c.z_side
         FROM maintenance ma JOIN circuit_impact i ON i.maintenance_id = ma.id JOIN circuit c ON c.id = i.circuit_id
         WHERE ma.id = ANY($1::uuid[]) AND ${LIVE('ma')} AND ($3 OR i.impact <> 'NO-IMPACT')),
       sides AS (SELECT a_side AS s FROM a_imp WHERE g IS NULL AND a_side IS NOT NULL UNION SELECT z_side FROM a_imp WHERE g IS NULL AND z_side IS NOT NULL),
       related AS (
         SELECT c.id AS cid, c.provider_circuit_id AS name, c.redundancy_group AS g, c.a_side, c.z_side FROM circuit c
         WHERE c.redundancy_group IN (SELECT g FROM a_imp WHERE g IS NOT NULL)
         UNION
         SELECT c.id, c.provider_circuit_id, c.redundancy_group, c.a_side, c.z_side FROM circuit c
         WHERE c.redundancy_group IS NULL AND (c.a_side IN (SELECT s FROM sides) OR c.z_side IN (SELECT s FROM sides))),
       b_imp AS (
         SELECT i.maintenance_id AS m, r.* FROM related r JOIN circuit_impact i ON i.circuit_id = r.cid
         WHERE ($3 OR i.impact <> 'NO-IMPACT'))
       SELECT DISTINCT a.m AS a, b.m AS b, a.name AS a_circuit, b.name AS b_circuit, CASE WHEN a.g IS NOT NULL THEN a.g END AS grp
       FROM a_imp a
       JOIN b_imp b ON b.m <> a.m AND (
         (a.g IS NOT NULL AND b.g = a.g)
         OR (a.g IS NULL AND b.g IS NULL AND (a.a_side IN (b.a_side, b.z_side) OR a.z_side IN (b.a_side, b.z_side))))
       JOIN maintenance ma ON ma.id = a.m
       JOIN maintenance mb ON mb.id = b.m
       WHERE ${LIVE('mb')} AND mb.starts_at < ma.ends_at AND ma.starts_at < mb.ends_at`,
      [maintenanceIds, fromEpoch(now), includeNoImpact],
    );
    return rows.map((r) => ({ a: r.a, b: r.b, aCircuit: r.a_circuit, bCircuit: r.b_circuit, ...(r.grp !== null ? { group: r.grp } : {}) }));
  }

  /** The stored overlaps (active or not) of these maintenances, locked until the transaction ends. */
  async lockFor(maintenanceIds: readonly string[]): Promise<OverlapRecord[]> {
    if (maintenanceIds.length === 0) return [];
    const rows: OverlapRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM maintenance_overlap WHERE maintenance_a = ANY($1::uuid[]) OR maintenance_b = ANY($1::uuid[])
       ORDER BY maintenance_a, maintenance_b FOR UPDATE`,
      [maintenanceIds],
    );
    return rows.map(toRecord);
  }

  /** Raises (or refreshes) overlaps: active, with their windows and circuits as now. */
  async upsert(overlaps: readonly OverlapUpsert[]): Promise<void> {
    if (overlaps.length === 0) return;
    await this.m.query(
      `INSERT INTO maintenance_overlap (maintenance_a, maintenance_b, a_starts_at, a_ends_at, b_starts_at, b_ends_at, shared_circuits,
         redundancy_groups, active, generation, event_id, detected_at, cleared_at)
       SELECT x.a, x.b, to_timestamp(x.as_), to_timestamp(x.ae), to_timestamp(x.bs), to_timestamp(x.be),
         ARRAY(SELECT jsonb_array_elements_text(x.circuits)), ARRAY(SELECT jsonb_array_elements_text(x.groups)), true, x.gen, x.event_id,
         to_timestamp(x.at), NULL
       FROM jsonb_to_recordset($1::jsonb) AS x(a uuid, b uuid, as_ bigint, ae bigint, bs bigint, be bigint, circuits jsonb, groups jsonb,
         gen int, event_id text, at bigint)
       ORDER BY x.a, x.b
       ON CONFLICT (maintenance_a, maintenance_b) DO UPDATE SET a_starts_at = excluded.a_starts_at, a_ends_at = excluded.a_ends_at,
         b_starts_at = excluded.b_starts_at, b_ends_at = excluded.b_ends_at, shared_circuits = excluded.shared_circuits,
         redundancy_groups = excluded.redundancy_groups, active = true, generation = excluded.generation, event_id = excluded.event_id,
         detected_at = excluded.detected_at, cleared_at = NULL`,
      [
        JSON.stringify(
          overlaps.map((o) => ({
            a: o.maintenanceA,
            b: o.maintenanceB,
            as_: o.aWindow.start,
            ae: o.aWindow.end,
            bs: o.bWindow.start,
            be: o.bWindow.end,
            circuits: o.sharedCircuits,
            groups: o.redundancyGroups,
            gen: o.generation,
            event_id: o.eventId,
            at: o.at,
          })),
        ),
      ],
    );
  }

  /** Updates the circuits of overlaps still active with the same windows (no new event). */
  async refreshCircuits(overlaps: readonly { maintenanceA: string; maintenanceB: string; sharedCircuits: string[]; redundancyGroups: string[] }[]): Promise<void> {
    if (overlaps.length === 0) return;
    await this.m.query(
      `UPDATE maintenance_overlap o SET shared_circuits = ARRAY(SELECT jsonb_array_elements_text(x.circuits)),
         redundancy_groups = ARRAY(SELECT jsonb_array_elements_text(x.groups))
       FROM jsonb_to_recordset($1::jsonb) AS x(a uuid, b uuid, circuits jsonb, groups jsonb)
       WHERE o.maintenance_a = x.a AND o.maintenance_b = x.b`,
      [JSON.stringify(overlaps.map((o) => ({ a: o.maintenanceA, b: o.maintenanceB, circuits: o.sharedCircuits, groups: o.redundancyGroups })))],
    );
  }

  /** Clears overlaps that no longer hold. */
  async clear(pairs: readonly { maintenanceA: string; maintenanceB: string }[], at: number): Promise<void> {
    if (pairs.length === 0) return;
    await this.m.query(
      `UPDATE maintenance_overlap o SET active = false, cleared_at = to_timestamp($2)
       FROM jsonb_to_recordset($1::jsonb) AS x(a uuid, b uuid) WHERE o.maintenance_a = x.a AND o.maintenance_b = x.b`,
      [JSON.stringify(pairs.map((p) => ({ a: p.maintenanceA, b: p.maintenanceB }))), at],
    );
  }

  /** The active overlaps of a maintenance. */
  async activeOf(maintenanceId: string): Promise<OverlapRecord[]> {
    const rows: OverlapRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM maintenance_overlap WHERE active AND (maintenance_a = $1 OR maintenance_b = $1) ORDER BY detected_at, maintenance_a, maintenance_b`,
      [maintenanceId],
    );
    return rows.map(toRecord);
  }

  /** Which of these maintenances have an active overlap. */
  async overlappingAmong(maintenanceIds: readonly string[]): Promise<Set<string>> {
    if (maintenanceIds.length === 0) return new Set();
    const rows: { id: string }[] = await this.m.query(
      `SELECT maintenance_a AS id FROM maintenance_overlap WHERE active AND maintenance_a = ANY($1::uuid[])
       UNION SELECT maintenance_b FROM maintenance_overlap WHERE active AND maintenance_b = ANY($1::uuid[])`,
      [maintenanceIds],
    );
    return new Set(rows.map((r) => r.id));
  }
}

function toRecord(r: OverlapRow): OverlapRecord {
  return {
    maintenanceA: r.maintenance_a,
    maintenanceB: r.maintenance_b,
    aWindow: { start: epoch(r.a_starts_at), end: epoch(r.a_ends_at) },
    bWindow: { start: epoch(r.b_starts_at), end: epoch(r.b_ends_at) },
    sharedCircuits: r.shared_circuits,
    redundancyGroups: r.redundancy_groups,
    active: r.active,
    generation: r.generation,
    eventId: r.event_id,
    detectedAt: epoch(r.detected_at),
    ...(r.cleared_at ? { clearedAt: epoch(r.cleared_at) } : {}),
  };
}
