import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCKS } from '../repositories/clock.repository';

// Hand-written (SQL functions and a table kept by triggers; TypeORM has no notion of either).

/** The setting under which the triggers leave the summaries to the transaction (see below). */
export const DEFERRED_SUMMARIES = 'maintwatch.deferred_summaries';

/**
 * Each maintenance's list entry, as the API sends it (MaintenanceSummary without its overlap
 * flag), kept as JSON text by triggers on maintenance, circuit_impact and circuit, whatever
 * writes them (intake, the API, the lifecycle clock, SQL by hand).
 *
 * Why: building that JSON for a page of 50 was most of the maintenance list's cost in
 * PostgreSQL. Measured on the bench's 100,000 maintenances: 5 ms a page computed from the
 * rows, 2.9 ms with only the circuits kept, 1.6 ms reading the whole entry.
 *
 * The JSON is defined once, by maintwatch_listed_head and maintwatch_listed_circuit(s); the
 * list reads the kept text only while `src_xmin` is the maintenance row's xmin, and calls the
 * functions otherwise. A write that slipped past the triggers (triggers disabled for a
 * restore, say) costs speed, never a stale answer.
 *
 * Intake writes a batch in several statements; each would refresh the same maintenances
 * again. It sets `maintwatch.deferred_summaries` for its transaction, which the triggers
 * obey, and refreshes the batch's maintenances once, as its last statement.
 *
 * Races: a transaction that writes impacts computes the JSON from the circuits it sees; one
 * that renames a circuit, or moves it to another redundancy group, at the same time would not
 * see those new impacts and the JSON would keep the old name. So refreshes take a shared
 * advisory lock and inventory changes an exclusive one (held to commit): the two take turns,
 * and whichever goes second reads what the first committed (READ COMMITTED takes a new
 * snapshot for each statement of a function).
 */
export class MaintenanceSummary1768000000000 implements MigrationInterface {
  name = 'MaintenanceSummary1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "maintenance_summary" (
         "maintenance_id" uuid NOT NULL, "src_xmin" xid NOT NULL, "item" text NOT NULL,
         CONSTRAINT "PK_maintenance_summary" PRIMARY KEY ("maintenance_id"),
         CONSTRAINT "FK_maintenance_summary_maintenance" FOREIGN KEY ("maintenance_id") REFERENCES "maintenance"("id") ON DELETE CASCADE)`,
    );
    // One ListedCircuit: the inventory's name when the circuit is known, else the notice's;
    // absent keys left out. A single expression, so that PostgreSQL inlines it.
    await q.query(
      `CREATE FUNCTION "maintwatch_listed_circuit"(ref text, circuit_id uuid, impact text, name text, grp text) RETURNS json LANGUAGE sql STABLE AS $$
         SELECT json_strip_nulls(json_build_object('providerCircuitId', COALESCE(name, ref), 'impact', impact, 'circuitId', circuit_id, 'redundancyGroup', grp))
       $$`,
    );
    await q.query(
      `CREATE FUNCTION "maintwatch_listed_circuits"(mid uuid) RETURNS json LANGUAGE sql STABLE AS $$
         SELECT COALESCE(json_agg(${LISTED_CIRCUIT} ORDER BY i.circuit_key), '[]'::json)
         FROM circuit_impact i LEFT JOIN circuit ci ON ci.id = i.circuit_id WHERE i.maintenance_id = mid
       $$`,
    );
    // MaintenanceSummary's own keys, times in epoch seconds, absent keys left out: the object
    // without its closing brace, for the circuits and the overlap flag to follow.
    const epoch = (col: string) => `floor(extract(epoch FROM ${col}))::bigint`;
    await q.query(
      `CREATE FUNCTION "maintwatch_listed_head"(m maintenance) RETURNS text LANGUAGE sql STABLE AS $$
         SELECT left(json_strip_nulls(json_build_object(
           'id', m.id, 'providerType', m.provider_type, 'maintenanceId', m.maintenance_id, 'account', m.account,
           'organizer', m.organizer, 'uid', m.uid, 'status', m.status, 'start', ${epoch('m.starts_at')}, 'end', ${epoch('m.ends_at')},
           'summary', m.summary, 'sequence', m.sequence, 'stamp', ${epoch('m.stamp')}, 'version', m.version, 'phase', m.phase,
           'acknowledged', CASE WHEN m.acknowledged_by IS NOT NULL AND m.acknowledged_at IS NOT NULL
             THEN json_build_object('by', m.acknowledged_by, 'at', ${epoch('m.acknowledged_at')}) END,
           'replacesId', m.replaces_id, 'replacedById', m.replaced_by_id,
           'createdAt', ${epoch('m.created_at')}, 'updatedAt', ${epoch('m.updated_at')}))::text, -1)
       $$`,
    );
    await q.query(
      // The circuits inline (a call of maintwatch_listed_circuits per maintenance measured
      // slower). Index lookups and nested loops whatever the statistics say: tables that grew
      // from empty faster than autovacuum analysed them look empty, and a sequential scan of
      // circuit_impact per maintenance is quadratic (measured: minutes for 100,000); a hash of
      // the circuit inventory per batch costs more than the batch's lookups.
      `CREATE FUNCTION "maintwatch_refresh_summaries"(ids uuid[]) RETURNS void LANGUAGE plpgsql
       SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off AS $$
       BEGIN
         IF cardinality(ids) = 0 THEN RETURN; END IF;
         PERFORM pg_advisory_xact_lock_shared(${LOCKS.circuitInventory});
         INSERT INTO maintenance_summary (maintenance_id, src_xmin, item)
           SELECT m.id, m.xmin, maintwatch_listed_head(m) || ',"circuits":' || COALESCE((
               SELECT json_agg(${LISTED_CIRCUIT} ORDER BY i.circuit_key)
               FROM circuit_impact i LEFT JOIN circuit ci ON ci.id = i.circuit_id WHERE i.maintenance_id = m.id), '[]'::json)::text
           FROM maintenance m WHERE m.id = ANY(ids)
           ON CONFLICT (maintenance_id) DO UPDATE SET src_xmin = EXCLUDED.src_xmin, item = EXCLUDED.item;
       END $$`,
    );
    const deferred = `COALESCE(current_setting('${DEFERRED_SUMMARIES}', true), '') = 'on'`;
    // One function per transition-table shape: a statement trigger sees only the tables it declares.
    const trigger = async (name: string, ids: string) =>
      q.query(
        `CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NOT ${deferred} THEN PERFORM maintwatch_refresh_summaries(ARRAY(${ids})); END IF; RETURN NULL; END $$`,
      );
    await trigger('maintwatch_maintenances_written', 'SELECT id FROM new_rows');
    await trigger('maintwatch_impacts_inserted', 'SELECT DISTINCT maintenance_id FROM new_rows');
    await trigger('maintwatch_impacts_updated', 'SELECT maintenance_id FROM new_rows UNION SELECT maintenance_id FROM old_rows');
    await trigger('maintwatch_impacts_deleted', 'SELECT DISTINCT maintenance_id FROM old_rows');
    // A circuit's deletion sets circuit_impact.circuit_id to NULL (its FK), which the impacts'
    // update trigger sees; a rename or a new redundancy group is seen here (never deferred).
    await q.query(
      `CREATE FUNCTION "maintwatch_circuits_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
                        WHERE (o.provider_circuit_id, o.redundancy_group) IS DISTINCT FROM (n.provider_circuit_id, n.redundancy_group)) THEN
           RETURN NULL;
         END IF;
         PERFORM pg_advisory_xact_lock(${LOCKS.circuitInventory});
         PERFORM maintwatch_refresh_summaries(ARRAY(
           SELECT DISTINCT i.maintenance_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN circuit_impact i ON i.circuit_id = n.id
           WHERE (o.provider_circuit_id, o.redundancy_group) IS DISTINCT FROM (n.provider_circuit_id, n.redundancy_group)));
         RETURN NULL;
       END $$`,
    );
    for (const [name, table, event, fn] of TRIGGERS) {
      const tables = event === 'INSERT' ? 'NEW TABLE AS new_rows' : event === 'DELETE' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await q.query(`CREATE TRIGGER "${name}" AFTER ${event} ON "${table}" REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`);
    }
    await q.query(`SELECT maintwatch_refresh_summaries(ARRAY(SELECT id FROM maintenance))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name, table] of TRIGGERS) await q.query(`DROP TRIGGER "${name}" ON "${table}"`);
    for (const fn of new Set(TRIGGERS.map(([, , , f]) => f))) await q.query(`DROP FUNCTION "${fn}"()`);
    await q.query(`DROP FUNCTION "maintwatch_refresh_summaries"(uuid[])`);
    await q.query(`DROP FUNCTION "maintwatch_listed_head"(maintenance)`);
    await q.query(`DROP FUNCTION "maintwatch_listed_circuits"(uuid)`);
    await q.query(`DROP FUNCTION "maintwatch_listed_circuit"(text, uuid, text, text, text)`);
    await q.query(`DROP TABLE "maintenance_summary"`);
  }
}

/** A row of circuit_impact `i` and its circuit `ci` (if known) as a ListedCircuit. */
const LISTED_CIRCUIT = `maintwatch_listed_circuit(i.circuit_ref, i.circuit_id, i.impact, ci.provider_circuit_id, ci.redundancy_group)`;

/** name, table, event, function. */
const TRIGGERS: readonly (readonly [string, string, 'INSERT' | 'UPDATE' | 'DELETE', string])[] = [
  ['maintenance_inserted', 'maintenance', 'INSERT', 'maintwatch_maintenances_written'],
  ['maintenance_updated', 'maintenance', 'UPDATE', 'maintwatch_maintenances_written'],
  ['circuit_impact_inserted', 'circuit_impact', 'INSERT', 'maintwatch_impacts_inserted'],
  ['circuit_impact_updated', 'circuit_impact', 'UPDATE', 'maintwatch_impacts_updated'],
  ['circuit_impact_deleted', 'circuit_impact', 'DELETE', 'maintwatch_impacts_deleted'],
  ['circuit_updated', 'circuit', 'UPDATE', 'maintwatch_circuits_updated'],
];
