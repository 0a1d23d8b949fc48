// The clock against a real PostgreSQL: transitions emitted once each, in order, whatever the
// restarts, and never twice when two replicas tick at the same moment.
import { MetricsService } from '@maintwatch/observability';
import { Store } from '@maintwatch/persistence';
import { testDatabase, type TestDatabase } from '@maintwatch/testing';
import { Failpoints } from '../faults/failpoints';
import { ProviderDirectory } from '../providers/provider-directory';
import { LifecycleClock } from './lifecycle-clock.service';
import { OutboxSignal } from './outbox-signal';
import { SnapshotLoader } from './snapshot-loader';

const S = 1_900_000_000;
const E = S + 4 * 3600;
const LEAD = 900;

describe(LifecycleClock.name, () => {
  let db: TestDatabase;
  const stores: Store[] = [];
  let now = 0;

  const replica = async (name: string) => {
    const store = await Store.open({ url: db.url });
    stores.push(store);
    const directory = new ProviderDirectory();
    return new LifecycleClock(
      store,
      new SnapshotLoader(directory),
      new OutboxSignal(),
      new Failpoints([]),
      { outboxPollMs: 100, outboxBatch: 100, clockEnabled: true, clockIntervalMs: 100, leadSeconds: LEAD, replica: name, now: () => now },
      new MetricsService('spec', { defaultMetrics: false }),
    );
  };

  const seed = async (ids: string[]) => {
    const store = stores[0]!;
    await store.repos.providers.ensure('ntt');
    for (const id of ids) {
      await store.repos.maintenances.insertIfAbsent({
        providerType: 'ntt',
        maintenanceId: id,
        account: 'A',
        organizer: 'noc@ntt.example',
        uid: id,
        status: 'CONFIRMED',
        start: S,
        end: E,
        summary: id,
        sequence: 1,
        stamp: S - 86_400,
        phase: 'scheduled',
      });
    }
  };

  const typesOf = async (id: string) => {
    const m = (await stores[0]!.repos.maintenances.getByKey('ntt', id))!;
    return (await stores[0]!.repos.outbox.forMaintenance(m.id)).map((e) => e.type);
  };

  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await db?.drop();
  });

  it('starting-soon, started, ended: each once and in order, across restarts', async () => {
    let clock = await replica('a');
    await seed(['CLK-1']);
    now = S - LEAD - 60;
    expect(await clock.tick()).toBe(0);
    now = S - LEAD + 1;
    expect(await clock.tick()).toBe(1);
    expect(await clock.tick()).toBe(0);
    clock = await replica('a-restarted');
    expect(await clock.tick()).toBe(0);
    now = S;
    expect(await clock.tick()).toBe(1);
    clock = await replica('a-restarted-again');
    expect(await clock.tick()).toBe(0);
    now = E + 1;
    expect(await clock.tick()).toBe(1);
    expect(await clock.tick()).toBe(0);
    expect(await typesOf('CLK-1')).toEqual(['starting-soon', 'started', 'ended']);
    const [, started] = (await stores[0]!.repos.outbox.forMaintenance((await stores[0]!.repos.maintenances.getByKey('ntt', 'CLK-1'))!.id)).map((e) => e.payload);
    expect(started).toMatchObject({ type: 'started', occurredAt: S, maintenance: { maintenanceId: 'CLK-1', version: 1 } });
    expect(started!.noticeId).toBeUndefined();
  });

  it('two replicas ticking at the same moment emit each transition once', async () => {
    const a = await replica('a');
    const b = await replica('b');
    const ids = Array.from({ length: 30 }, (_, i) => `TWIN-${i}`);
    await seed(ids);
    now = S + 1;
    const counts = await Promise.all([a, b, a, b, a, b].map((c) => c.tick()));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(30);
    for (const id of ids) expect(await typesOf(id)).toEqual(['started']);
  });
});
