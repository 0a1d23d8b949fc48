// maintenance-api under faults, as a process: killed (SIGKILL) at each step of a change and
// of the outbox relay, PostgreSQL restarted mid-stream, the clock across restarts and with two
// replicas. PostgreSQL runs with its durability settings on. No event may be lost or doubled.
import { CONSUMERS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { ownPostgres, startNats, testDatabase, testNamespace, type NatsServerHandle, type PostgresHandle } from '@maintwatch/testing';
import {
  buildApp,
  collectEvents,
  consumerIdle,
  exited,
  nowSeconds,
  parsedMessage,
  publishParsed,
  rows,
  startApi,
  until,
  type AppProcess,
} from '../e2e-support/maintenance-api.harness';

jest.setTimeout(240_000);

describe('maintenance-api - faults', () => {
  let nats: NatsServerHandle;
  let pg: PostgresHandle;
  const running: AppProcess[] = [];

  const start = async (env: Record<string, string> & { NATS_NAMESPACE: string; DATABASE_URL: string }) => {
    const proc = await startApi({ NATS_URL: nats.url, INTAKE_ACK_WAIT_MS: '1500', ...env });
    running.push(proc);
    return proc;
  };
  const connect = async (ns: string) => {
    const bus = await Bus.connect({ servers: nats.url, name: 'spec', namespace: ns });
    await bus.provision();
    return bus;
  };

  beforeAll(async () => {
    buildApp('maintenance-api');
    [nats, pg] = await Promise.all([startNats(), ownPostgres({ durable: true })]);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  afterAll(async () => {
    await pg?.stop();
    await nats?.stop();
  });

  it.each(['apply-before-commit', 'relay-before-publish', 'relay-after-publish', 'relay-after-commit'])(
    'killed at %s, then restarted: the event is published exactly once',
    async (failpoint) => {
      const ns = testNamespace();
      const db = await testDatabase(pg.url);
      const bus = await connect(ns);
      const collector = await collectEvents(bus);
      try {
        const env = { NATS_NAMESPACE: ns, DATABASE_URL: db.url };
        let api = await start({ ...env, FAILPOINTS: failpoint });
        const p = parsedMessage('KILL-1');
        await publishParsed(bus, p);
        expect(await exited(api)).toBe('SIGKILL');

        api = await start(env);
        await until(() => collector.of('KILL-1').length === 1, 20_000, 'the event after the restart');
        await until(() => consumerIdle(bus, 'MAINTENANCE', CONSUMERS.apiMaintenance), 15_000, 'idle');
        await until(async () => (await rows(db.url, `SELECT 1 FROM outbox WHERE published_at IS NULL`)).length === 0, 10_000, 'outbox drained');
        // Settled: nothing more may come.
        await bus.nc.flush();
        expect(collector.of('KILL-1').map((e) => e.type)).toEqual(['new']);
        expect(collector.events).toHaveLength(1);
        expect(await rows(db.url, `SELECT count(*)::int AS n FROM outbox`)).toEqual([{ n: 1 }]);
        expect(await rows(db.url, `SELECT count(*)::int AS n FROM parsed_record`)).toEqual([{ n: 1 }]);
      } finally {
        await collector.stop();
        await bus.close();
        await db.drop();
      }
    },
  );

  it('PostgreSQL restarted mid-stream: /readyz drops and returns, every maintenance is stored and announced once', async () => {
    const ns = testNamespace();
    const db = await testDatabase(pg.url);
    const bus = await connect(ns);
    const collector = await collectEvents(bus);
    let publisher: Promise<void> | undefined;
    try {
      const api = await start({ NATS_NAMESPACE: ns, DATABASE_URL: db.url });
      await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 20_000, 'ready');
      const N = 150;
      publisher = (async () => {
        for (let i = 0; i < N; i++) {
          await publishParsed(bus, parsedMessage(`PGR-${i}`));
          if (i % 10 === 0) await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await until(() => collector.events.filter((e) => e.event.maintenance.maintenanceId.startsWith('PGR-')).length >= 30, 20_000, 'the first events');
      let sawDown = false;
      const restart = pg.restart({ downMs: 1500 });
      await until(async () => (sawDown = (await fetch(`${api.url}/readyz`)).status === 503), 10_000, 'not ready while PostgreSQL is down');
      await restart;
      await publisher;
      await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 20_000, 'ready again');
      // Generous: once in a full CI run on the 2 shared cores (beside the fuzz and pathological
      // parser specs) the last events took longer than 60 s; the cause is not known.
      await until(() => collector.events.filter((e) => e.event.maintenance.maintenanceId.startsWith('PGR-')).length >= N, 120_000, 'every event').catch((e: Error) => {
        // Say why: a message given up on (dead-lettered) is the likely cause of a missing event.
        const given = api.output().split('\n').filter((l) => /: term after delivery/.test(l));
        throw new Error(`${e.message}; maintenance-api gave up on: ${given.slice(0, 5).join('\n') || 'nothing'}`);
      });
      await until(() => consumerIdle(bus, 'MAINTENANCE', CONSUMERS.apiMaintenance), 15_000, 'idle');
      expect(sawDown).toBe(true);
      const ids = collector.events.filter((e) => e.event.maintenance.maintenanceId.startsWith('PGR-')).map((e) => `${e.type}:${e.event.maintenance.maintenanceId}`);
      expect(ids).toHaveLength(N);
      expect(new Set(ids).size).toBe(N);
      expect(await rows(db.url, `SELECT count(*)::int AS n FROM maintenance WHERE maintenance_id LIKE 'PGR-%'`)).toEqual([{ n: N }]);
    } finally {
      // A failed assertion must not leave the publisher running into the next test file.
      await publisher?.catch(() => undefined);
      await collector.stop();
      await bus.close();
      await db.drop();
    }
  });

  it('started while PostgreSQL is down: alive, not ready, ready once it answers, and it stops cleanly', async () => {
    const ns = testNamespace();
    const db = await testDatabase(pg.url);
    const bus = await connect(ns);
    const collector = await collectEvents(bus);
    try {
      await pg.kill();
      const api = await start({ NATS_NAMESPACE: ns, DATABASE_URL: db.url });
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
      const readiness = (await (await fetch(`${api.url}/readyz`)).json()) as { checks: Record<string, { status: string }> };
      expect(readiness.checks.postgres?.status).toBe('down');
      await publishParsed(bus, parsedMessage('LATE-PG-1'));
      await pg.restart();
      await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 20_000, 'ready once PostgreSQL answers');
      await until(() => collector.of('LATE-PG-1').length === 1, 20_000, 'the maintenance published while PostgreSQL was down');
      expect(await api.stop()).toBe(0);
    } finally {
      await collector.stop();
      await bus.close();
      await db.drop();
    }
  });

  it('the clock: starting-soon, started and ended once each, across a restart and with two replicas', async () => {
    const ns = testNamespace();
    const db = await testDatabase(pg.url);
    const bus = await connect(ns);
    const collector = await collectEvents(bus);
    try {
      const env = { NATS_NAMESPACE: ns, DATABASE_URL: db.url, STARTING_SOON_LEAD_SECONDS: '2', CLOCK_INTERVAL_MS: '100' };
      let [a, b] = await Promise.all([start(env), start(env)]);
      const t = nowSeconds();
      const ids = ['CLOCK-1', 'CLOCK-2', 'CLOCK-3'];
      for (const id of ids) await publishParsed(bus, parsedMessage(id, { start: t + 5, end: t + 8 }));
      const typesOf = (id: string) => collector.of(id).map((e) => e.type);
      await until(() => ids.every((id) => typesOf(id).includes('starting-soon')), 15_000, 'starting-soon');
      // Both replicas gone across the start: one crashes, the other stops.
      a.child.kill('SIGKILL');
      await Promise.all([exited(a), b.stop()]);
      await until(() => nowSeconds() >= t + 6, 15_000, 'the start to pass while down');
      [a, b] = await Promise.all([start(env), start(env)]);
      await until(() => ids.every((id) => typesOf(id).includes('ended')), 20_000, 'ended');
      await until(async () => (await rows(db.url, `SELECT 1 FROM outbox WHERE published_at IS NULL`)).length === 0, 10_000, 'outbox drained');
      for (const id of ids) expect(typesOf(id)).toEqual(['new', 'starting-soon', 'started', 'ended']);
      const eventIds = collector.events.map((e) => e.event.eventId);
      expect(new Set(eventIds).size).toBe(eventIds.length);
      expect(await rows(db.url, `SELECT count(*)::int AS n FROM outbox`)).toEqual([{ n: ids.length * 4 }]);
      expect((await rows<{ n: string }>(db.url, `SELECT transitions_total AS n FROM clock_state`))[0]!.n).toBe(String(ids.length * 3));
    } finally {
      await collector.stop();
      await bus.close();
      await db.drop();
    }
  });
});
