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
   * then the maintenances naming those (index probes, not a scan of every window). Each way two
   * circuits can be tied is its own equality join (group; a-side or z-side against a-side or
   * z-side): one join condition with ORs cannot be hashed or probed through an index, and the
   * nested loop it leaves compares every changed impact with every related one, which made the
   * ingest of a batch slow as soon as circuits had redundancy groups.
   */
  async matches(maintenanceIds: readonly string[], now: number, includeNoImpact: boolean): Promise<OverlapMatch[]> {
    if (maintenanceIds.length === 0) return [];
    const rows: { a: string; b: string; a_circuit: string; b_circuit: string; grp: string | null }[] = await this.m.query(
      `WITH a_imp AS MATERIALIZED (
         SELECT ma.id AS m, ma.starts_at AS s, ma.ends_at AS e, c.provider_circuit_id AS name, c.redundancy_group AS g, c.a_side, c.z_side
         FROM unnest($1::uuid[]) AS k(id)
         CROSS JOIN LATERAL (SELECT ma.* FROM maintenance ma WHERE ma.id = k.id AND ${LIVE('ma')} OFFSET 0) ma
         JOIN circuit_impact i ON i.maintenance_id = ma.id JOIN circuit c ON c.id = i.circuit_id
         WHERE ($3 OR i.impact <> 'NO-IMPACT')),
       related AS MATERIALIZED (
         SELECT a.m, a.s, a.e, a.name, a.g, c.id AS cid, c.provider_circuit_id AS b_name
           FROM a_imp a JOIN circuit c ON c.redundancy_group = a.g WHERE a.g IS NOT NULL
         UNION ALL SELECT a.m, a.s, a.e, a.name, NULL, c.id, c.provider_circuit_id
           FROM a_imp a JOIN circuit c ON c.a_side = a.a_side AND c.redundancy_group IS NULL WHERE a.g IS NULL
         UNION ALL SELECT a.m, a.s, a.e, a.name, NULL, c.id, c.provider_circuit_id
           FROM a_imp a JOIN circuit c ON c.z_side = a.a_side AND c.redundancy_group IS NULL WHERE a.g IS NULL
         UNION ALL SELECT a.m, a.s, a.e, a.name, NULL, c.id, c.provider_circuit_id
           FROM a_imp a JOIN circuit c ON c.a_side = a.z_side AND c.redundancy_group IS NULL WHERE a.g IS NULL
         UNION ALL SELECT a.m, a.s, a.e, a.name, NULL, c.id, c.provider_circuit_id
           FROM a_imp a JOIN circuit c ON c.z_side = a.z_side AND c.redundancy_group IS NULL WHERE a.g IS NULL)
       -- Lateral lookups (OFFSET 0 keeps each one) fix the order: maintenances by id, related
       -- circuits, their impacts, those maintenances by id, all through indexes, whatever the
       -- statistics of fast-growing tables make the planner believe.
       SELECT DISTINCT r.m AS a, mb.id AS b, r.name AS a_circuit, r.b_name AS b_circuit, r.g AS grp
       FROM related r
       CROSS JOIN LATERAL (SELECT i.maintenance_id FROM circuit_impact i WHERE i.circuit_id = r.cid AND ($3 OR i.impact <> 'NO-IMPACT') OFFSET 0) i
       CROSS JOIN LATERAL (
         SELECT mb.id FROM maintenance mb
         WHERE mb.id = i.maintenance_id AND mb.id <> r.m AND ${LIVE('mb')} AND mb.starts_at < r.e AND r.s < mb.ends_at OFFSET 0) mb`,
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
