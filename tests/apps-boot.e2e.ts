// Each service builds, boots on its own, answers /healthz, /readyz (false when NATS is down)
// and /metrics, and refuses a bad configuration with the list of every bad variable.
import { ownNats, startNats, testDatabase, testNamespace, type NatsServerHandle, type TestDatabase } from '@maintwatch/testing';
import { APPS, buildApp, runAppToExit, startApp, until, type AppProcess } from './support/app-process';

jest.setTimeout(120_000);

type Readiness = { status: string; checks: Record<string, { status: string }> };

describe('services - boot', () => {
  let nats: NatsServerHandle;
  let db: TestDatabase;
  beforeAll(async () => {
    for (const app of APPS) buildApp(app);
    nats = await startNats();
    db = await testDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    await nats?.stop();
  });

  it.each(APPS)('%s - boots, is ready, serves metrics and stops cleanly', async (app) => {
    const proc = await startApp(app, { NATS_URL: nats.url, NATS_NAMESPACE: testNamespace(), DATABASE_URL: db.url });
    try {
      const health = await fetch(`${proc.url}/healthz`);
      expect(health.status).toBe(200);
      await until(async () => (await fetch(`${proc.url}/readyz`)).status === 200, 10_000, `${app} ready`);
      const ready = (await (await fetch(`${proc.url}/readyz`)).json()) as Readiness;
      expect(ready.checks.nats.status).toBe('up');
      if (app === 'maintenance-api') expect(ready.checks.postgres.status).toBe('up');
      const metrics = await fetch(`${proc.url}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const text = await metrics.text();
      expect(text).toContain(`process_cpu_user_seconds_total{app="${app}"}`);
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  });

  it.each(APPS)('%s - bad configuration exits 78 listing every bad variable', (app) => {
    const r = runAppToExit(app, { NATS_URL: 'http://not-nats', PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(78);
    for (const v of ['NATS_URL', 'PORT', 'LOG_LEVEL']) expect(r.stderr).toContain(v);
    if (app === 'maintenance-api') expect(r.stderr).toContain('DATABASE_URL');
    expect(r.stdout).toBe('');
  });
});

describe('services - readiness follows NATS', () => {
  let nats: NatsServerHandle;
  let proc: AppProcess | undefined;
  beforeAll(async () => {
    buildApp('parser');
    nats = await ownNats();
  });
  afterAll(async () => {
    await proc?.stop();
    await nats.stop();
  });

  it('parser - /readyz is 503 while NATS is down and 200 again after it returns', async () => {
    proc = await startApp('parser', { NATS_URL: nats.url, NATS_NAMESPACE: testNamespace() });
    const p = proc;
    await until(async () => (await fetch(`${p.url}/readyz`)).status === 200, 10_000, 'ready');
    await nats.kill();
    await until(async () => (await fetch(`${p.url}/readyz`)).status === 503, 15_000, 'not ready');
    const body = (await (await fetch(`${p.url}/readyz`)).json()) as Readiness;
    expect(body.checks.nats.status).toBe('down');
    expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
    await nats.restart();
    await until(async () => (await fetch(`${p.url}/readyz`)).status === 200, 20_000, 'ready again');
  });
});
