// The maintenance list against a real PostgreSQL: the JSON the API sends (built in SQL) is
// the same page as the records the other readers use, and a window list paged with its
// cursors returns exactly the maintenances whose windows intersect the window, in order,
// whichever plan (start index + GiST for windows begun earlier, or GiST alone) serves it.
import { Client } from 'pg';
import { testDatabase, type TestDatabase } from '@maintwatch/testing';
import { Store } from '../store';
import type { MaintenanceQuery, MaintenanceSort } from './maintenance-query.repository';

const T0 = 1_900_000_000;
const HOUR = 3600;

/** The list item as the API shows it (what MaintenanceViewService made of a record). */
function summaryOf(item: Awaited<ReturnType<Store['repos']['api']['maintenances']['list']>>['items'][number]): unknown {
  const { lastNoticeId: _last, ...row } = item.maintenance;
  return { ...row, circuits: item.circuits, overlapping: item.overlapping };
}

describe('MaintenanceQueryRepository.list / listJson', () => {
  let db: TestDatabase;
  let store: Store;
  let c: Client;
  const ids: string[] = [];

  beforeAll(async () => {
    db = await testDatabase();
    store = await Store.open({ url: db.url });
    c = new Client({ connectionString: db.url });
    await c.connect();
    await c.query(`INSERT INTO provider (type, built_in) VALUES ('zayo', true), ('gtt', true) ON CONFLICT DO NOTHING`);
    const circuits = (
      await c.query<{ id: string }>(
        `INSERT INTO circuit (provider_type, provider_circuit_id, verified, redundancy_group)
         SELECT 'zayo', 'CKT-' || g, true, CASE WHEN g % 2 = 0 THEN 'grp-' || g END FROM generate_series(1, 6) g RETURNING id`,
      )
    ).rows.map((r) => r.id);
    // 120 maintenances: windows of 1-30 hours every 2 hours (some start exactly on the query
    // bounds, some began before and are still open), some with a window ending before it starts.
    for (let i = 0; i < 120; i++) {
      const start = T0 + i * 2 * HOUR;
      const end = i % 17 === 0 ? start - HOUR : start + (1 + ((i * 7) % 30)) * HOUR;
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO maintenance (provider_type, maintenance_id, account, organizer, uid, status, starts_at, ends_at, summary, sequence, stamp, version, phase,
                                  acknowledged_by, acknowledged_at)
         VALUES ($1, $2, 'ACME', 'noc@example.net', '0', $3, to_timestamp($4), to_timestamp($5), $6, 1, to_timestamp($7), 1, 'scheduled', $8, $9)
         RETURNING id`,
        [i % 3 === 0 ? 'gtt' : 'zayo', `M-${i}`, i % 4 === 0 ? 'CANCELLED' : 'CONFIRMED', start, end, `Work "${i}" \u00e9\u00e8 \\ end`, T0 - 100,
          i % 5 === 0 ? 'alice' : null, i % 5 === 0 ? new Date((T0 + 77.5) * 1000) : null],
      );
      ids.push(rows[0]!.id);
      // Known circuits, and one the inventory does not have (no circuit id).
      for (let k = 0; k < (i % 3) + 1; k++) {
        await c.query(`INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, circuit_id, impact) SELECT $1, lower(provider_circuit_id), provider_circuit_id, id, $3 FROM circuit WHERE id = $2`, [
          rows[0]!.id,
          circuits[(i + k) % circuits.length],
          k === 0 ? 'OUTAGE' : 'DEGRADED',
        ]);
      }
      if (i % 7 === 0) await c.query(`INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, impact) VALUES ($1, 'unknown-1', 'Unknown-1', 'NO-IMPACT')`, [rows[0]!.id]);
    }
    await c.query(`UPDATE maintenance SET replaces_id = $2 WHERE id = $1`, [ids[10], ids[9]]);
    await c.query(`UPDATE maintenance SET replaced_by_id = $2 WHERE id = $1`, [ids[9], ids[10]]);
    await c.query(
      `INSERT INTO maintenance_overlap (maintenance_a, maintenance_b, a_starts_at, a_ends_at, b_starts_at, b_ends_at, shared_circuits, redundancy_groups, active, event_id, detected_at)
       SELECT a.id, b.id, a.starts_at, a.ends_at, b.starts_at, b.ends_at, '{CKT-2}', '{grp-2}', true, 'ev-1', now() FROM maintenance a, maintenance b WHERE a.id = $1 AND b.id = $2`,
      [ids[20], ids[21]],
    );
    await c.query('ANALYZE');
  });

  afterAll(async () => {
    await c?.end();
    await store?.close();
    await db?.drop();
  });

  const base = { now: T0 + 50 * HOUR, limit: 7 } as const;

  /** Every page of a query, following the cursors; each page checked JSON against records. */
  async function allPages(q: Omit<MaintenanceQuery, 'cursor'>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const records = await store.repos.api.maintenances.list({ ...q, ...(cursor ? { cursor } : {}) });
      const json = await store.repos.api.maintenances.listJson({ ...q, ...(cursor ? { cursor } : {}) });
      expect(JSON.parse(`[${json.itemsJson}]`)).toEqual(records.items.map(summaryOf));
      expect(json.count).toBe(records.items.length);
      expect(json.nextCursor).toEqual(records.nextCursor);
      expect(records.items.length).toBeLessThanOrEqual(q.limit);
      seen.push(...records.items.map((i) => i.maintenance.maintenanceId));
      if (!records.nextCursor) return seen;
      cursor = records.nextCursor;
    }
    throw new Error('more than 100 pages');
  }

  /** What the list must return, by brute force over the table. */
  async function expected(where: string, params: unknown[], sort: MaintenanceSort, order: 'asc' | 'desc'): Promise<string[]> {
    const col = { start: 'starts_at', end: 'ends_at', updated: 'updated_at', created: 'created_at' }[sort];
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const { rows } = await c.query<{ maintenance_id: string }>(`SELECT maintenance_id FROM maintenance WHERE ${where} ORDER BY ${col} ${dir}, id ${dir}`, params);
    return rows.map((r) => r.maintenance_id);
  }

  const intersects = `starts_at < to_timestamp($2) AND GREATEST(starts_at, ends_at) > to_timestamp($1)`;

  it.each([
    ['start', 'asc'],
    ['start', 'desc'],
    ['end', 'asc'],
    ['updated', 'desc'],
  ] as const)('a window sorted by %s %s: every intersecting maintenance once, in order, JSON equal to the records', async (sort, order) => {
    // Bounds on a start (T0 + 40 h is maintenance 20's start) and between starts.
    for (const [from, to] of [
      [T0 + 40 * HOUR, T0 + 61 * HOUR],
      [T0 + 41 * HOUR, T0 + 80 * HOUR],
      [T0 - 10 * HOUR, T0 + 3 * HOUR],
    ] as const) {
      const got = await allPages({ ...base, from, to, sort, order });
      expect(got).toEqual(await expected(intersects, [from, to], sort, order));
      expect(got.length).toBeGreaterThan(0);
    }
  });

  it('a window with a status and provider filter, and one without a window', async () => {
    const from = T0 + 20 * HOUR;
    const to = T0 + 120 * HOUR;
    expect(await allPages({ ...base, from, to, statuses: ['CONFIRMED'], providerType: 'zayo', sort: 'start', order: 'asc' })).toEqual(
      await expected(`${intersects} AND status = 'CONFIRMED' AND provider_type = 'zayo'`, [from, to], 'start', 'asc'),
    );
    expect(await allPages({ ...base, limit: 50, sort: 'start', order: 'desc' })).toEqual(await expected('true', [], 'start', 'desc'));
  });

  it('shows acknowledgements, replacement links, unknown circuits and overlaps in the JSON as in the records', async () => {
    const page = await store.repos.api.maintenances.listJson({ ...base, limit: 30, sort: 'start', order: 'asc' });
    const items = JSON.parse(`[${page.itemsJson}]`) as Record<string, unknown>[];
    const byId = new Map(items.map((i) => [i.maintenanceId, i]));
    expect(byId.get('M-0')).toMatchObject({ acknowledged: { by: 'alice', at: T0 + 77 }, circuits: expect.arrayContaining([{ providerCircuitId: 'Unknown-1', impact: 'NO-IMPACT' }]) });
    expect(byId.get('M-1')).not.toHaveProperty('acknowledged');
    expect(byId.get('M-10')).toMatchObject({ replacesId: ids[9] });
    expect(byId.get('M-9')).toMatchObject({ replacedById: ids[10] });
    expect(byId.get('M-20')).toMatchObject({ overlapping: true });
    expect(byId.get('M-22')).toMatchObject({ overlapping: false });
    expect(byId.get('M-2')?.summary).toBe('Work "2" \u00e9\u00e8 \\ end');
  });
});
