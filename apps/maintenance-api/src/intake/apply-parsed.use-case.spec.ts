// The store side of maintenance.parsed.v1 against a real PostgreSQL: idempotency by message,
// only-newer application, reschedule in place and by new id, cancellation without circuits,
// unknown circuits and aliases, and the lifecycle events written with each change.
import { Client } from 'pg';
import type { Impact, LifecycleEvent, MaintenanceParsed, MaintenanceStatus } from '@maintwatch/contracts';
import { MetricsService } from '@maintwatch/observability';
import { Store } from '@maintwatch/persistence';
import { testDatabase, type TestDatabase } from '@maintwatch/testing';
import { Failpoints } from '../faults/failpoints';
import { OutboxSignal } from '../lifecycle/outbox-signal';
import { ProviderDirectory } from '../providers/provider-directory';
import { ApplyParsedUseCase } from './apply-parsed.use-case';
import type { IntakeOptions } from './intake.options';

const T0 = 1_900_000_000;
const HOUR = 3600;

let seq = 0;
function parsed(
  maintenanceId: string,
  m: Partial<MaintenanceParsed['maintenance']> & { circuits?: { circuit_id: string; impact: Impact }[] } = {},
  envelope: Partial<Omit<MaintenanceParsed, 'maintenance'>> = {},
): MaintenanceParsed {
  return {
    noticeId: `imap:${maintenanceId}-${++seq}@zayo.example`,
    attempt: 1,
    index: 0,
    count: 1,
    providerType: 'zayo',
    parsers: ['zayo-html'],
    ...envelope,
    maintenance: {
      provider: 'zayo',
      account: 'ACME',
      maintenance_id: maintenanceId,
      circuits: [{ circuit_id: 'CKT-1', impact: 'OUTAGE' }],
      status: 'CONFIRMED' as MaintenanceStatus,
      start: T0 + 10 * HOUR,
      end: T0 + 14 * HOUR,
      stamp: T0,
      organizer: 'mr@zayo.example',
      uid: '0',
      sequence: 1,
      summary: `Work ${maintenanceId}`,
      ...m,
    },
  };
}

describe(ApplyParsedUseCase.name, () => {
  let db: TestDatabase;
  let store: Store;
  let now = T0;
  const options: IntakeOptions = { unknownCircuits: 'create', linkHorizonSeconds: 7 * 24 * HOUR, leadSeconds: 900, batchSize: 64, batchesInFlight: 2, now: () => now };
  let sut: ApplyParsedUseCase;

  const events = async (id: string): Promise<LifecycleEvent[]> => {
    const m = await store.repos.maintenances.getByKey('zayo', id);
    return m ? (await store.repos.outbox.forMaintenance(m.id)).map((r) => r.payload) : [];
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows[0].n as number;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    db = await testDatabase();
    store = await Store.open({ url: db.url });
    await store.repos.providers.seedBuiltIns([{ type: 'zayo', name: 'Zayo', senders: ['zayo.example'], defaultOrganizer: 'mr@zayo.example' }]);
    const directory = new ProviderDirectory();
    sut = new ApplyParsedUseCase(store, options, directory, new OutboxSignal(), new Failpoints([]), new MetricsService('spec', { defaultMetrics: false }));
  });
  beforeEach(() => {
    now = T0;
    options.unknownCircuits = 'create';
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('a new maintenance is stored with its circuits and window and announced once', async () => {
    const p = parsed('NEW-1', { circuits: [{ circuit_id: 'NEW-C1', impact: 'OUTAGE' }, { circuit_id: 'new-c1', impact: 'DEGRADED' }, { circuit_id: 'NEW-C2', impact: 'NO-IMPACT' }] });
    expect(await sut.execute(p, 'corr-1')).toMatchObject({ outcome: 'applied', events: ['new'] });
    const m = (await store.repos.maintenances.getByKey('zayo', 'NEW-1'))!;
    expect(m).toMatchObject({ status: 'CONFIRMED', start: T0 + 10 * HOUR, end: T0 + 14 * HOUR, version: 1, phase: 'scheduled', lastNoticeId: p.noticeId });
    expect((await store.repos.maintenances.impacts(m.id)).map((i) => [i.circuitRef, i.impact])).toEqual([
      ['NEW-C1', 'OUTAGE'],
      ['NEW-C2', 'NO-IMPACT'],
    ]);
    expect(await store.repos.maintenances.windows(m.id)).toMatchObject([{ start: T0 + 10 * HOUR, end: T0 + 14 * HOUR, noticeId: p.noticeId }]);
    const [e] = await events('NEW-1');
    expect(e).toMatchObject({ type: 'new', noticeId: p.noticeId, maintenance: { providerName: 'Zayo', maintenanceId: 'NEW-1', version: 1 } });
    expect(e!.maintenance.circuits).toEqual([
      { providerCircuitId: 'NEW-C1', impact: 'OUTAGE', verified: false },
      { providerCircuitId: 'NEW-C2', impact: 'NO-IMPACT', verified: false },
    ]);
    const [outbox] = await store.repos.outbox.forMaintenance(m.id);
    expect(outbox!.correlationId).toBe('corr-1');
  });

  it('the same message twice changes nothing the second time', async () => {
    const p = parsed('DUP-1');
    await sut.execute(p);
    expect(await sut.execute(structuredClone(p))).toEqual({ outcome: 'duplicate', events: [] });
    expect(await events('DUP-1')).toHaveLength(1);
    expect(await count(`SELECT count(*)::int AS n FROM parsed_record WHERE maintenance_key = 'DUP-1'`)).toBe(1);
    // Reprocessed (attempt 2, a new message): recorded, but the same version changes nothing.
    expect(await sut.execute({ ...p, attempt: 2 })).toMatchObject({ outcome: 'no-change', events: [] });
    expect(await count(`SELECT count(*)::int AS n FROM parsed_record WHERE maintenance_key = 'DUP-1'`)).toBe(2);
  });

  it('an older notice arriving late is recorded and noted, never applied', async () => {
    await sut.execute(parsed('OOO-1', { sequence: 3, summary: 'third' }));
    const late = parsed('OOO-1', { sequence: 2, summary: 'second', start: T0 + 50 * HOUR, end: T0 + 51 * HOUR });
    expect(await sut.execute(late)).toMatchObject({ outcome: 'stale', events: [] });
    const m = (await store.repos.maintenances.getByKey('zayo', 'OOO-1'))!;
    expect(m).toMatchObject({ summary: 'third', sequence: 3, start: T0 + 10 * HOUR, version: 1 });
    const notes = await store.repos.maintenances.notes(m.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'info', author: 'maintenance-api' });
    expect(notes[0]!.text).toContain(late.noticeId);
    expect(await store.repos.notices.parsedFor(late.noticeId)).toMatchObject([{ outcome: 'stale', maintenanceId: m.id }]);
    expect((await events('OOO-1')).map((e) => e.type)).toEqual(['new']);
  });

  it('with an equal sequence the later stamp wins and the earlier one is stale', async () => {
    await sut.execute(parsed('STAMP-1', { sequence: -1, stamp: T0, summary: 'first mail' }));
    expect(await sut.execute(parsed('STAMP-1', { sequence: -1, stamp: T0 + 60, summary: 'second mail' }))).toMatchObject({ outcome: 'applied', events: ['updated'] });
    expect(await sut.execute(parsed('STAMP-1', { sequence: -1, stamp: T0 + 30, summary: 'in between' }))).toMatchObject({ outcome: 'stale' });
    const [, updated] = await events('STAMP-1');
    expect(updated!.changes).toEqual([{ field: 'summary', old: 'first mail', new: 'second mail' }]);
    expect(updated!.maintenance.version).toBe(2);
  });

  it('an id with NUL characters is the stored maintenance without them, alone or in a batch with it', async () => {
    await sut.execute(parsed('NULID-1', { sequence: 1 }));
    expect(await sut.execute(parsed('NULID\u0000\u0000-1', { sequence: 2, summary: 'changed' }))).toMatchObject({ outcome: 'applied', events: ['updated'] });
    const [a, b] = await Promise.all([sut.execute(parsed('NULID-2', { sequence: 1 })), sut.execute(parsed('NULID-\u00002', { sequence: 2, summary: 'changed' }))]);
    expect([a.outcome, b.outcome]).toEqual(['applied', 'applied']);
    expect(await store.repos.maintenances.getByKey('zayo', 'NULID-1')).toMatchObject({ sequence: 2, summary: 'changed' });
    expect(await store.repos.maintenances.getByKey('zayo', 'NULID-2')).toMatchObject({ sequence: 2, summary: 'changed' });
  });

  it('a newer notice that changes nothing bumps no version and announces nothing', async () => {
    await sut.execute(parsed('SAME-1', { sequence: 1 }));
    expect(await sut.execute(parsed('SAME-1', { sequence: 2, stamp: T0 + 5 }))).toMatchObject({ outcome: 'no-change', events: [] });
    expect(await store.repos.maintenances.getByKey('zayo', 'SAME-1')).toMatchObject({ version: 1, sequence: 2, stamp: T0 + 5 });
  });

  it('a moved window is updated in place: the old window stays in the history and the event carries both', async () => {
    await sut.execute(parsed('RS-1', { sequence: 1 }));
    const moved = parsed('RS-1', { sequence: 2, start: T0 + 34 * HOUR, end: T0 + 38 * HOUR, status: 'RE-SCHEDULED' });
    expect(await sut.execute(moved)).toMatchObject({ outcome: 'applied', events: ['rescheduled'] });
    const m = (await store.repos.maintenances.getByKey('zayo', 'RS-1'))!;
    expect(m).toMatchObject({ start: T0 + 34 * HOUR, end: T0 + 38 * HOUR, status: 'RE-SCHEDULED', version: 2 });
    expect((await store.repos.maintenances.windows(m.id)).map((w) => [w.start, w.end])).toEqual([
      [T0 + 10 * HOUR, T0 + 14 * HOUR],
      [T0 + 34 * HOUR, T0 + 38 * HOUR],
    ]);
    const [, e] = await events('RS-1');
    expect(e).toMatchObject({ type: 'rescheduled', previousWindow: { start: T0 + 10 * HOUR, end: T0 + 14 * HOUR }, maintenance: { start: T0 + 34 * HOUR, version: 2 } });
    expect(e!.changes.map((c) => c.field)).toEqual(['status', 'start', 'end']);
    // Rescheduled in place: it is the new window, so a later maintenance on its circuits does not replace it.
    await sut.execute(parsed('RS-2', { start: T0 + 34 * HOUR, end: T0 + 38 * HOUR }));
    expect((await store.repos.maintenances.getByKey('zayo', 'RS-1'))!.replacedById).toBeUndefined();
  });

  it('a cancellation listing no circuits keeps the circuit links', async () => {
    await sut.execute(parsed('CX-1', { circuits: [{ circuit_id: 'CX-A', impact: 'OUTAGE' }, { circuit_id: 'CX-B', impact: 'DEGRADED' }] }));
    expect(await sut.execute(parsed('CX-1', { sequence: 2, status: 'CANCELLED', circuits: [] }))).toMatchObject({ events: ['cancelled'] });
    const m = (await store.repos.maintenances.getByKey('zayo', 'CX-1'))!;
    expect((await store.repos.maintenances.impacts(m.id)).map((i) => i.circuitRef)).toEqual(['CX-A', 'CX-B']);
    const [, cancelled] = await events('CX-1');
    expect(cancelled!.maintenance).toMatchObject({ status: 'CANCELLED' });
    expect(cancelled!.maintenance.circuits.map((c) => c.providerCircuitId)).toEqual(['CX-A', 'CX-B']);
    expect(cancelled!.changes).toEqual([{ field: 'status', old: 'CONFIRMED', new: 'CANCELLED' }]);
  });

  it('an unknown circuit becomes an unverified circuit with one warning note', async () => {
    await sut.execute(parsed('UNK-1', { circuits: [{ circuit_id: 'UNK-CKT-9', impact: 'OUTAGE' }] }));
    const m = (await store.repos.maintenances.getByKey('zayo', 'UNK-1'))!;
    const [impact] = await store.repos.maintenances.impacts(m.id);
    expect(impact!.circuit).toMatchObject({ providerCircuitId: 'UNK-CKT-9', verified: false });
    await sut.execute(parsed('UNK-1', { sequence: 2, summary: 'changed', circuits: [{ circuit_id: 'unk-ckt-9', impact: 'OUTAGE' }] }));
    const notes = await store.repos.maintenances.notes(m.id);
    expect(notes.map((n) => n.level)).toEqual(['warning']);
    expect(notes[0]!.text).toContain('UNK-CKT-9');
    expect(await count(`SELECT count(*)::int AS n FROM circuit WHERE provider_circuit_id ILIKE 'unk-ckt-9'`)).toBe(1);
  });

  it('with UNKNOWN_CIRCUITS=note an unknown circuit is noted and no circuit is created', async () => {
    options.unknownCircuits = 'note';
    await sut.execute(parsed('NOTE-1', { circuits: [{ circuit_id: 'NOTE-CKT', impact: 'OUTAGE' }] }));
    const m = (await store.repos.maintenances.getByKey('zayo', 'NOTE-1'))!;
    expect(await store.repos.maintenances.impacts(m.id)).toEqual([{ circuitKey: 'note-ckt', circuitRef: 'NOTE-CKT', impact: 'OUTAGE' }]);
    expect((await store.repos.maintenances.notes(m.id))[0]).toMatchObject({ level: 'warning' });
    expect(await count(`SELECT count(*)::int AS n FROM circuit WHERE provider_circuit_id = 'NOTE-CKT'`)).toBe(0);
    const [e] = await events('NOTE-1');
    expect(e!.maintenance.circuits).toEqual([{ providerCircuitId: 'NOTE-CKT', impact: 'OUTAGE', verified: false }]);
  });

  it('a circuit written another way (alias, case, spaces) is the inventory circuit, with its binding and group', async () => {
    const a = await store.repos.circuits.create({
      providerType: 'zayo',
      providerCircuitId: 'OGYX/100200//ZYO',
      aliases: ['OGYX-100200'],
      type: 'transit',
      redundancyGroup: 'fra-transit',
      deviceBinding: { device: 'edge1.fra', interface: 'et-0/0/1', bgpGroup: 'TRANSIT', bgpNeighbor: '192.0.2.1' },
    });
    await store.repos.circuits.create({ providerType: 'zayo', providerCircuitId: 'OGYX/100300//ZYO', redundancyGroup: 'fra-transit' });
    await sut.execute(parsed('ALIAS-1', { circuits: [{ circuit_id: ' ogyx-100200 ', impact: 'OUTAGE' }, { circuit_id: 'ogyx/100200//zyo', impact: 'DEGRADED' }] }));
    const m = (await store.repos.maintenances.getByKey('zayo', 'ALIAS-1'))!;
    const impacts = await store.repos.maintenances.impacts(m.id);
    expect(impacts).toHaveLength(1);
    expect(impacts[0]).toMatchObject({ impact: 'OUTAGE', circuit: { id: a.id } });
    expect(await store.repos.maintenances.notes(m.id)).toEqual([]);
    const [e] = await events('ALIAS-1');
    expect(e!.maintenance.circuits).toEqual([
      {
        providerCircuitId: 'OGYX/100200//ZYO',
        impact: 'OUTAGE',
        type: 'transit',
        redundancyGroup: 'fra-transit',
        verified: true,
        deviceBinding: { device: 'edge1.fra', interface: 'et-0/0/1', bgpGroup: 'TRANSIT', bgpNeighbor: '192.0.2.1' },
      },
    ]);
    expect(e!.maintenance.redundancyGroups).toEqual([{ name: 'fra-transit', allCircuitsAffected: false }]);
    await sut.execute(parsed('ALIAS-2', { circuits: [{ circuit_id: 'OGYX-100200', impact: 'OUTAGE' }, { circuit_id: 'OGYX/100300//ZYO', impact: 'OUTAGE' }] }));
    const [both] = await events('ALIAS-2');
    expect(both!.maintenance.redundancyGroups).toEqual([{ name: 'fra-transit', allCircuitsAffected: true }]);
  });

  it('RE-SCHEDULED, then the new window under a new id naming the old one: the two are linked', async () => {
    await sut.execute(parsed('OLD-7', { circuits: [{ circuit_id: 'L-1', impact: 'OUTAGE' }] }));
    await sut.execute(parsed('OLD-7', { sequence: 2, status: 'RE-SCHEDULED', circuits: [{ circuit_id: 'L-1', impact: 'OUTAGE' }] }));
    const created = await sut.execute(
      parsed('NEW-8', { summary: 'Rescheduled from OLD-7', start: T0 + 200 * HOUR, end: T0 + 204 * HOUR, circuits: [{ circuit_id: 'L-9', impact: 'OUTAGE' }] }),
    );
    expect(created.events).toEqual(['updated', 'new']);
    const old = (await store.repos.maintenances.getByKey('zayo', 'OLD-7'))!;
    const replacement = (await store.repos.maintenances.getByKey('zayo', 'NEW-8'))!;
    expect(old.replacedById).toBe(replacement.id);
    expect(replacement.replacesId).toBe(old.id);
    expect((await events('NEW-8'))[0]!.maintenance.replaces).toBe('OLD-7');
    const oldEvents = await events('OLD-7');
    expect(oldEvents.map((e) => e.type)).toEqual(['new', 'updated', 'updated']);
    expect(oldEvents[2]).toMatchObject({ changes: [{ field: 'replacedBy', new: 'NEW-8' }], maintenance: { replacedBy: 'NEW-8', version: 3 } });
  });

  it('a new id covering the same circuits within the horizon replaces a RE-SCHEDULED maintenance; beyond it, not', async () => {
    const circuits = [{ circuit_id: 'H-1', impact: 'OUTAGE' as const }, { circuit_id: 'H-2', impact: 'OUTAGE' as const }];
    await sut.execute(parsed('HZ-OLD', { status: 'RE-SCHEDULED', circuits }));
    await sut.execute(parsed('HZ-FAR', { start: T0 + 10 * HOUR + 8 * 24 * HOUR, end: T0 + 14 * HOUR + 8 * 24 * HOUR, circuits }));
    expect((await store.repos.maintenances.getByKey('zayo', 'HZ-FAR'))!.replacesId).toBeUndefined();
    await sut.execute(parsed('HZ-NEAR', { start: T0 + 60 * HOUR, end: T0 + 64 * HOUR, circuits: [...circuits, { circuit_id: 'H-3', impact: 'DEGRADED' }] }));
    const old = (await store.repos.maintenances.getByKey('zayo', 'HZ-OLD'))!;
    expect(old.replacedById).toBe((await store.repos.maintenances.getByKey('zayo', 'HZ-NEAR'))!.id);
  });

  it('the new id first, the RE-SCHEDULED notice of the old one after: still linked', async () => {
    await sut.execute(parsed('REV-OLD', { circuits: [{ circuit_id: 'R-1', impact: 'OUTAGE' }] }));
    await sut.execute(parsed('REV-NEW', { summary: 'Replaces REV-OLD', start: T0 + 30 * HOUR, end: T0 + 31 * HOUR, circuits: [{ circuit_id: 'R-1', impact: 'OUTAGE' }] }));
    expect(await sut.execute(parsed('REV-OLD', { sequence: 2, status: 'RE-SCHEDULED', circuits: [{ circuit_id: 'R-1', impact: 'OUTAGE' }] }))).toMatchObject({
      events: ['updated', 'updated'],
    });
    const old = (await store.repos.maintenances.getByKey('zayo', 'REV-OLD'))!;
    const replacement = (await store.repos.maintenances.getByKey('zayo', 'REV-NEW'))!;
    expect([old.replacedById, replacement.replacesId]).toEqual([replacement.id, old.id]);
    expect((await events('REV-OLD')).at(-1)!.maintenance).toMatchObject({ status: 'RE-SCHEDULED', replacedBy: 'REV-NEW' });
  });

  it('IN-PROCESS starts and COMPLETED ends the maintenance, each once', async () => {
    await sut.execute(parsed('RUN-1'));
    expect(await sut.execute(parsed('RUN-1', { sequence: 2, status: 'IN-PROCESS' }))).toMatchObject({ events: ['started'] });
    expect(await sut.execute(parsed('RUN-1', { sequence: 3, status: 'IN-PROCESS', summary: 'now with details' }))).toMatchObject({ events: ['updated'] });
    expect(await sut.execute(parsed('RUN-1', { sequence: 4, status: 'COMPLETED', summary: 'now with details', circuits: [] }))).toMatchObject({ events: ['ended'] });
    expect(await store.repos.maintenances.getByKey('zayo', 'RUN-1')).toMatchObject({ phase: 'ended', status: 'COMPLETED' });
  });

  it('a maintenance whose window was over when first seen (backfill) owes the clock nothing', async () => {
    now = T0 + 100 * HOUR;
    await sut.execute(parsed('PAST-1', { status: 'COMPLETED' }));
    expect(await store.repos.maintenances.getByKey('zayo', 'PAST-1')).toMatchObject({ phase: 'ended' });
    expect((await events('PAST-1')).map((e) => e.type)).toEqual(['new']);
  });

  it('messages handed over together share a transaction, each with its own outcome', async () => {
    const results = await Promise.all([
      sut.execute(parsed('BATCH-1', { sequence: 1 })),
      sut.execute(parsed('BATCH-1', { sequence: 2, summary: 'second' })),
      sut.execute(parsed('BATCH-1', { sequence: 1, summary: 'stale copy', stamp: T0 - 1 })),
      sut.execute(parsed('BATCH-2')),
    ]);
    expect(results.map((r) => [r.outcome, r.events])).toEqual([
      ['applied', ['new']],
      ['applied', ['updated']],
      ['stale', []],
      ['applied', ['new']],
    ]);
    expect(await store.repos.maintenances.getByKey('zayo', 'BATCH-1')).toMatchObject({ version: 2, summary: 'second' });
    expect((await events('BATCH-1')).map((e) => [e.type, e.maintenance.version])).toEqual([
      ['new', 1],
      ['updated', 2],
    ]);
  });

  it('a message the store refuses fails alone, not the others handed over with it', async () => {
    const results = await Promise.allSettled([
      sut.execute(parsed('POISON-OK-1')),
      sut.execute(parsed('POISON-1', {}, { providerType: 'p'.repeat(100) })),
      sut.execute(parsed('POISON-OK-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/too long/);
    expect(await events('POISON-OK-2')).toHaveLength(1);
  });

  it('two replicas creating the same maintenance and unknown circuit at once: one maintenance, one circuit, one new event', async () => {
    const directory = new ProviderDirectory();
    const other = await Store.open({ url: db.url });
    try {
      const replica = new ApplyParsedUseCase(other, options, directory, new OutboxSignal(), new Failpoints([]), new MetricsService('spec2', { defaultMetrics: false }));
      const circuits = [{ circuit_id: 'RACE-CKT', impact: 'OUTAGE' as const }];
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? replica : sut).execute(parsed('RACE-1', { sequence: i, stamp: T0, summary: `v${i}`, circuits: [...circuits, { circuit_id: `RACE-OWN-${i}`, impact: 'OUTAGE' }] })),
        ),
      );
      expect(results.filter((r) => r.events.includes('new'))).toHaveLength(1);
      expect(await store.repos.maintenances.getByKey('zayo', 'RACE-1')).toMatchObject({ sequence: 5, summary: 'v5' });
      expect(await count(`SELECT count(*)::int AS n FROM circuit WHERE provider_circuit_id = 'RACE-CKT'`)).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM parsed_record WHERE maintenance_key = 'RACE-1'`)).toBe(6);
    } finally {
      await other.close();
    }
  });

  it('text PostgreSQL cannot store (NUL) is cleaned, not a failure', async () => {
    await sut.execute(parsed('NUL-1', { summary: 'bad\u0000byte' }));
    expect((await store.repos.maintenances.getByKey('zayo', 'NUL-1'))!.summary).toBe('badbyte');
  });

  it('after all of the above, every list entry was refreshed once at the end of its batch: the row version and what the SQL computes', async () => {
    expect(await count(`SELECT count(*)::int AS n FROM maintenance`)).toBeGreaterThan(10);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM maintenance m LEFT JOIN maintenance_summary s ON s.maintenance_id = m.id
         WHERE s.src_xmin IS DISTINCT FROM m.xmin OR s.item IS DISTINCT FROM maintwatch_listed_head(m) || ',"circuits":' || maintwatch_listed_circuits(m.id)::text`,
      ),
    ).toBe(0);
  });
});
