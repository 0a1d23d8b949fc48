import { Inject, Injectable, Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Writable } from 'node:stream';
import {
  createLogger,
  type HealthChecks,
  MetricsService,
  ObservabilityModule,
  PinoNestLogger,
} from '../index';

/** A real Nest Fastify app with ObservabilityModule, listening on an ephemeral port. */
async function startApp(imports: Parameters<typeof Test.createTestingModule>[0]['imports'], logs: string[] = []) {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
    logger: new PinoNestLogger(createLogger({ appName: 'test', destination })),
  });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const getJson = async (path: string) => {
    const res = await get(path);
    return { status: res.status, body: JSON.parse(res.text) as unknown };
  };
  return { app, get, getJson };
}

describe(ObservabilityModule.name, () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('readyz - 200 while every check passes, 503 with the reason once one fails, 200 again after', async () => {
    let natsUp = true;
    const checks: HealthChecks = {
      nats: async () => {
        if (!natsUp) throw new Error('connection to nats://mw:hunter2@nats:4222 closed');
        return true;
      },
      postgres: () => true,
    };
    const logs: string[] = [];
    const { app, getJson } = await startApp([ObservabilityModule.forRoot({ appName: 'parser', checks })], logs);
    close = () => app.close();

    expect(await getJson('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await getJson('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { nats: { status: 'up' }, postgres: { status: 'up' } } },
    });

    natsUp = false;
    expect(await getJson('/readyz')).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        checks: {
          nats: { status: 'down', reason: 'connection to nats://mw:***@nats:4222 closed' },
          postgres: { status: 'up' },
        },
      },
    });
    expect(await getJson('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });

    natsUp = true;
    expect((await getJson('/readyz')).status).toBe(200);

    // Nest's own logs and the readiness transitions went through pino, without the secret.
    const lines = logs.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ context: 'RoutesResolver', app: 'test' }));
    expect(lines).toContainEqual(expect.objectContaining({ context: 'Readiness', level: 'warn' }));
    expect(logs.join('')).not.toContain('hunter2');
  });

  it('readyz - a check that does not answer within 2 s fails with a timeout', async () => {
    const { app, getJson } = await startApp([
      ObservabilityModule.forRoot({
        appName: 'ingest',
        checks: { imap: () => new Promise(() => undefined), nats: () => false },
      }),
    ]);
    close = () => app.close();

    const started = Date.now();
    const res = await getJson('/readyz');
    const elapsed = Date.now() - started;
    expect(res).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        checks: {
          imap: { status: 'down', reason: 'timed out after 2000 ms' },
          nats: { status: 'down', reason: 'check returned false' },
        },
      },
    });
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(4000);
  });

  it('forRootAsync - checks built from another module\'s provider', async () => {
    const NATS = Symbol('NATS');
    @Injectable()
    class FakeConnection {
      closed = false;
    }
    @Module({ providers: [FakeConnection, { provide: NATS, useExisting: FakeConnection }], exports: [NATS] })
    class FakeNatsModule {}
    @Injectable()
    class UsesMetrics {
      constructor(@Inject(MetricsService) readonly metrics: MetricsService) {}
    }
    @Module({ providers: [UsesMetrics] })
    class FeatureModule {}

    const { app, getJson } = await startApp([
      ObservabilityModule.forRootAsync({
        imports: [FakeNatsModule],
        inject: [NATS],
        useFactory: (nats: FakeConnection) => ({
          appName: 'notifier',
          checks: {
            nats: () => {
              if (nats.closed) throw new Error('closed');
              return true;
            },
          },
        }),
      }),
      FeatureModule,
    ]);
    close = () => app.close();

    expect((await getJson('/readyz')).status).toBe(200);
    app.get(FakeConnection).closed = true;
    expect(await getJson('/readyz')).toEqual({
      status: 503,
      body: { status: 'unavailable', checks: { nats: { status: 'down', reason: 'closed' } } },
    });
    // Global module: a feature module gets the same MetricsService without importing it.
    expect(app.get(UsesMetrics).metrics).toBe(app.get(MetricsService));
  });

  it('metrics - Prometheus text with default metrics and a custom counter, labelled with the app', async () => {
    const { app, get } = await startApp([ObservabilityModule.forRoot({ appName: 'maintenance-api' })]);
    close = () => app.close();
    const metrics = app.get(MetricsService);
    const notices = metrics.counter({ name: 'maintwatch_notices_total', help: 'Notices seen', labelNames: ['source'] });
    notices.inc({ source: 'imap' });
    notices.inc({ source: 'imap' });
    expect(metrics.counter({ name: 'maintwatch_notices_total', help: 'Notices seen', labelNames: ['source'] })).toBe(
      notices,
    );

    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(res.text).toMatch(/^nodejs_heap_size_total_bytes\{app="maintenance-api"\} \d+/m);
    expect(res.text).toContain('maintwatch_notices_total{source="imap",app="maintenance-api"} 2');
  });
});
