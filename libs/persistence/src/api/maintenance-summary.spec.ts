// Each maintenance's list entry (maintenance_summary, kept by triggers) against a real
// PostgreSQL: after every kind of write to maintenances, impacts and the inventory, through
// the repositories and in plain SQL, deferred as intake does, and with an impact write racing
// a rename, its circuits equal what the rows say at that moment (rebuilt here in JavaScript)
// and its entry what the SQL functions compute; a write the triggers missed is not served.
import { Client } from 'pg';
import { testDatabase, type TestDatabase } from '@maintwatch/testing';
import { Store } from '../store';

/**
 * Waits until `statement`, sent on `client`, is either finished or waiting for a lock held by
 * the other transaction (pg_stat_activity says so): the point where the other one may commit.
 */
async function blockedOrDone(url: string, client: Client, statement: Promise<unknown>): Promise<void> {
  let done = false;
  void statement.then(
    () => (done = true),
    () => (done = true),
  );
  const pid = (client as unknown as { processID: number }).processID;
  const observer = new Client({ connectionString: url });
  await observer.connect();
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (done) return;
      const r = await observer.query<{ wait_event_type: string | null }>('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (r.rows[0]?.wait_event_type === 'Lock') return;
      if (Date.now() > deadline) throw new Error(`backend ${pid} neither finished nor waited for a lock within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await observer.end();
  }
}

const T0 = 1_900_000_000;

describe('maintenance_summary', () => {
  let db: TestDatabase;
  let store: Store;
  let c: Client;
  const circuits: string[] = [];
  const maintenances: string[] = [];

  /** Every maintenance's circuits as the API shows them, from the rows. */
  async function fromRows(): Promise<Map<string, unknown[]>> {
    const { rows } = await c.query<{ maintenance_id: string; circuit_ref: string; impact: string; circuit_id: string | null; name: string | null; grp: string | null }>(
      `SELECT i.maintenance_id, i.circuit_ref, i.impact, i.circuit_id, ci.provider_circuit_id AS name, ci.redundancy_group AS grp
       FROM circuit_impact i LEFT JOIN circuit ci ON ci.id = i.circuit_id ORDER BY i.maintenance_id, i.circuit_key`,
    );
    const all = await c.query<{ id: string }>(`SELECT id FROM maintenance`);
    const out = new Map<string, unknown[]>(all.rows.map((m) => [m.id, []]));
    for (const r of rows) {
      const list = out.get(r.maintenance_id) ?? [];
      list.push({
        providerCircuitId: r.name ?? r.circuit_ref,
        impact: r.impact,
        ...(r.circuit_id !== null ? { circuitId: r.circuit_id } : {}),
        ...(r.grp !== null ? { redundancyGroup: r.grp } : {}),
      });
      out.set(r.maintenance_id, list);
    }
    return out;
  }

  async function cached(): Promise<Map<string, unknown[]>> {
    const { rows } = await c.query<{ maintenance_id: string; item: string }>(`SELECT maintenance_id, item FROM maintenance_summary`);
    return new Map(rows.map((r) => [r.maintenance_id, (JSON.parse(`${r.item}}`) as { circuits: unknown[] }).circuits]));
  }

  /** Entries that are not what the functions compute now, or not of the row's version. */
  async function outOfStep(): Promise<string[]> {
    const { rows } = await c.query<{ maintenance_id: string }>(
      `SELECT m.maintenance_id FROM maintenance m LEFT JOIN maintenance_summary s ON s.maintenance_id = m.id
       WHERE s.item IS DISTINCT FROM maintwatch_listed_head(m) || ',"circuits":' || maintwatch_listed_circuits(m.id)::text
          OR s.src_xmin IS DISTINCT FROM m.xmin`,
    );
    return rows.map((r) => r.maintenance_id);
  }

  async function expectInStep(): Promise<void> {
    expect(await cached()).toEqual(await fromRows());
    expect(await outOfStep()).toEqual([]);
  }

  /** The list's JSON entry of one maintenance. */
  async function listed(id: string): Promise<Record<string, unknown>> {
    const page = await store.repos.api.maintenances.listJson({ now: T0, limit: 50, sort: 'start', order: 'asc' });
    const item = (JSON.parse(`[${page.itemsJson}]`) as Record<string, unknown>[]).find((i) => i.id === id);
    if (!item) throw new Error(`maintenance ${id} is not listed`);
    return item;
  }

  async function impact(maintenance: string, circuit: string, level = 'OUTAGE', client: Client = c): Promise<void> {
    await client.query(
      `INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, circuit_id, impact)
       SELECT $1, lower(provider_circuit_id), provider_circuit_id, id, $3 FROM circuit WHERE id = $2`,
      [maintenance, circuit, level],
    );
  }

  beforeAll(async () => {
    db = await testDatabase();
    store = await Store.open({ url: db.url });
    c = new Client({ connectionString: db.url });
    await c.connect();
    await c.query(`INSERT INTO provider (type, built_in) VALUES ('zayo', true) ON CONFLICT DO NOTHING`);
    circuits.push(
      ...(
        await c.query<{ id: string }>(
          `INSERT INTO circuit (provider_type, provider_circuit_id, verified, redundancy_group)
           SELECT 'zayo', 'CKT-' || g, true, CASE WHEN g % 2 = 0 THEN 'grp-' || g END FROM generate_series(1, 5) g ORDER BY g RETURNING id`,
        )
      ).rows.map((r) => r.id),
    );
    maintenances.push(
      ...(
        await c.query<{ id: string }>(
          `INSERT INTO maintenance (provider_type, maintenance_id, account, organizer, uid, status, starts_at, ends_at, summary, sequence, stamp, version, phase)
           SELECT 'zayo', 'M-' || g, 'ACME', 'noc@example.net', '0', 'CONFIRMED', to_timestamp($1 + g * 3600), to_timestamp($1 + g * 3600 + 7200), 'w', 1, to_timestamp($1), 1, 'scheduled'
           FROM generate_series(1, 6) g ORDER BY g RETURNING id`,
          [T0],
        )
      ).rows.map((r) => r.id),
    );
  });

  afterAll(async () => {
    await c?.end();
    await store?.close();
    await db?.drop();
  });

  it('follows impacts written one by one, in one statement, and names the inventory does not know', async () => {
    await impact(maintenances[0]!, circuits[0]!);
    await impact(maintenances[0]!, circuits[1]!, 'DEGRADED');
    await c.query(
      `INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, circuit_id, impact)
       SELECT m, lower(ci.provider_circuit_id), ci.provider_circuit_id, ci.id, 'NO-IMPACT' FROM unnest($1::uuid[]) m CROSS JOIN circuit ci WHERE ci.id = ANY($2::uuid[])`,
      [maintenances.slice(1, 4), circuits.slice(1, 4)],
    );
    await c.query(`INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, impact) VALUES ($1, 'unknown-9', 'Unknown-9', 'OUTAGE')`, [maintenances[4]]);
    await expectInStep();
    expect((await cached()).get(maintenances[4]!)).toEqual([{ providerCircuitId: 'Unknown-9', impact: 'OUTAGE' }]);
    expect((await cached()).get(maintenances[0]!)).toEqual([
      { providerCircuitId: 'CKT-1', impact: 'OUTAGE', circuitId: circuits[0] },
      { providerCircuitId: 'CKT-2', impact: 'DEGRADED', circuitId: circuits[1], redundancyGroup: 'grp-2' },
    ]);
    expect((await cached()).get(maintenances[5]!)).toEqual([]);
  });

  it('follows a rename and a new redundancy group, and leaves the rows alone on other changes', async () => {
    const before = await c.query<{ maintenance_id: string; xmin: string }>(`SELECT maintenance_id, xmin::text FROM maintenance_summary ORDER BY 1`);
    await store.repos.circuits.update(circuits[1]!, { aSide: 'DC-1', verified: false });
    expect((await c.query(`SELECT maintenance_id, xmin::text FROM maintenance_summary ORDER BY 1`)).rows).toEqual(before.rows);
    await store.repos.circuits.update(circuits[1]!, { redundancyGroup: 'grp-new' });
    await c.query(`UPDATE circuit SET provider_circuit_id = 'CKT-3-RENAMED' WHERE id = $1`, [circuits[2]]);
    await c.query(`UPDATE circuit SET redundancy_group = NULL WHERE id = $1`, [circuits[3]]);
    await expectInStep();
    expect(JSON.stringify((await cached()).get(maintenances[1]!))).toContain('CKT-3-RENAMED');
    expect(JSON.stringify((await cached()).get(maintenances[1]!))).toContain('grp-new');
  });

  it('follows a deleted circuit (the notice name stays), replaced and removed impacts, and a deleted maintenance', async () => {
    await store.repos.api.inventory.deleteCircuit(circuits[2]!);
    expect((await cached()).get(maintenances[2]!)).toContainEqual({ providerCircuitId: 'CKT-3', impact: 'NO-IMPACT' });
    await store.transaction(async (r) => {
      await r.maintenances.replaceImpactsMany(
        new Map([
          [maintenances[0]!, { impacts: [{ circuitKey: 'ckt-5', circuitRef: 'CKT-5', circuitId: circuits[4]!, impact: 'OUTAGE' as const }], isNew: false }],
          [maintenances[1]!, { impacts: [], isNew: false }],
          [maintenances[5]!, { impacts: [{ circuitKey: 'new-1', circuitRef: 'New-1', impact: 'DEGRADED' as const }], isNew: true }],
        ]),
      );
    });
    await store.repos.maintenances.replaceImpacts(maintenances[3]!, [{ circuitKey: 'ckt-1', circuitRef: 'CKT-1', circuitId: circuits[0]!, impact: 'DEGRADED' }]);
    await c.query(`DELETE FROM maintenance WHERE id = $1`, [maintenances[4]]);
    await expectInStep();
    expect((await cached()).get(maintenances[0]!)).toEqual([{ providerCircuitId: 'CKT-5', impact: 'OUTAGE', circuitId: circuits[4] }]);
    expect((await cached()).get(maintenances[1]!)).toEqual([]);
    expect((await cached()).has(maintenances[4]!)).toBe(false);
  });

  it('follows changes to the maintenance row: an acknowledgement through the repository, a status in plain SQL', async () => {
    await store.repos.maintenances.update(maintenances[0]!, { acknowledged: { by: 'alice', at: T0 } });
    await c.query(`UPDATE maintenance SET status = 'CANCELLED', summary = 'Called off \u00e9' WHERE id = $1`, [maintenances[2]]);
    await expectInStep();
    expect(await listed(maintenances[0]!)).toMatchObject({ acknowledged: { by: 'alice' } });
    expect(await listed(maintenances[2]!)).toMatchObject({ status: 'CANCELLED', summary: 'Called off \u00e9' });
  });

  it('deferred as intake defers it: refreshed once at the end; a write after that or past the triggers is not served stale', async () => {
    await store.transaction(async (r) => {
      await r.maintenances.deferSummaries();
      await r.maintenances.replaceImpacts(maintenances[3]!, [{ circuitKey: 'ckt-2', circuitRef: 'CKT-2', circuitId: circuits[1]!, impact: 'OUTAGE' }]);
      await r.maintenances.refreshSummaries([maintenances[3]!]);
    });
    await expectInStep();
    // Deferred and never refreshed: the entry is not the row's, and the list computes it.
    await store.transaction(async (r) => {
      await r.maintenances.deferSummaries();
      await r.maintenances.replaceImpacts(maintenances[3]!, [{ circuitKey: 'ckt-1', circuitRef: 'CKT-1', circuitId: circuits[0]!, impact: 'DEGRADED' }]);
      await r.maintenances.update(maintenances[3]!, { summary: 'deferred' });
    });
    expect(await outOfStep()).toEqual(['M-4']);
    expect(await listed(maintenances[3]!)).toMatchObject({ summary: 'deferred', circuits: [{ providerCircuitId: 'CKT-1', impact: 'DEGRADED', circuitId: circuits[0] }] });
    const records = await store.repos.api.maintenances.list({ now: T0, limit: 50, sort: 'start', order: 'asc' });
    expect(records.items.find((i) => i.maintenance.id === maintenances[3])?.circuits).toEqual([{ providerCircuitId: 'CKT-1', impact: 'DEGRADED', circuitId: circuits[0] }]);
    // Triggers off (as a restore runs): still not served stale.
    const replica = new Client({ connectionString: db.url });
    await replica.connect();
    try {
      await replica.query(`SET session_replication_role = replica`);
      await replica.query(`UPDATE maintenance SET summary = 'behind the triggers' WHERE id = $1`, [maintenances[0]]);
    } finally {
      await replica.end();
    }
    expect(await listed(maintenances[0]!)).toMatchObject({ summary: 'behind the triggers' });
    await store.repos.maintenances.refreshSummaries([maintenances[0]!, maintenances[3]!]);
    await expectInStep();
  });

  it.each(['the impact first', 'the rename first'])('an impact written while its circuit is renamed shows the new name (%s)', async (first) => {
    const writer = new Client({ connectionString: db.url });
    const renamer = new Client({ connectionString: db.url });
    await Promise.all([writer.connect(), renamer.connect()]);
    try {
      const name = `CKT-1-${first === 'the impact first' ? 'A' : 'B'}`;
      await c.query(`DELETE FROM circuit_impact WHERE maintenance_id = $1`, [maintenances[5]]);
      await writer.query('BEGIN');
      await renamer.query('BEGIN');
      let second: Promise<unknown>;
      if (first === 'the impact first') {
        await impact(maintenances[5]!, circuits[0]!, 'OUTAGE', writer);
        second = renamer.query(`UPDATE circuit SET provider_circuit_id = $2 WHERE id = $1`, [circuits[0], name]);
        await blockedOrDone(db.url, renamer, second);
        await writer.query('COMMIT');
        await second;
        await renamer.query('COMMIT');
      } else {
        await renamer.query(`UPDATE circuit SET provider_circuit_id = $2 WHERE id = $1`, [circuits[0], name]);
        second = impact(maintenances[5]!, circuits[0]!, 'OUTAGE', writer);
        await blockedOrDone(db.url, writer, second);
        await renamer.query('COMMIT');
        await second;
        await writer.query('COMMIT');
      }
      expect((await cached()).get(maintenances[5]!)).toEqual([{ providerCircuitId: name, impact: 'OUTAGE', circuitId: circuits[0] }]);
      await expectInStep();
    } finally {
      await Promise.allSettled([writer.end(), renamer.end()]);
    }
  });
});
