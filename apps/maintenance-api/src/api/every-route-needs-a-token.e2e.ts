// The token guard is global: every route the app registers, from any controller (a new one
// included), answers 401 without a token, unless it is marked @Public(). The routes are read
// from the running app's own controllers, not from a list kept by hand.
import { randomUUID } from 'node:crypto';
import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE } from '@maintwatch/observability';
import { runService } from '@maintwatch/runtime';
import { freePort, sharedNatsUrl, testDatabase, testNamespace, type TestDatabase } from '@maintwatch/testing';
import { maintenanceApiService } from '../maintenance-api.service';

jest.setTimeout(90_000);

interface Route {
  method: string;
  path: string;
  isPublic: boolean;
}

/** Every HTTP route of the app's controllers: method, full path, and whether it is marked public. */
function routesOf(app: INestApplication): Route[] {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const out: Route[] = [];
  const controllers = [...app.get(ModulesContainer).values()].flatMap((m) => [...m.controllers.values()]);
  for (const wrapper of controllers) {
    const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!type || !wrapper.instance) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(wrapper.instance))) {
      const handler = (wrapper.instance as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue; // a message handler, or a helper
      const full = `/${[base, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
      out.push({ method: RequestMethod[method], path: full, isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler as never, type]) === true });
    }
  }
  return out;
}

describe('maintenance-api - every route needs a token unless marked public', () => {
  let app: INestApplication | undefined;
  let db: TestDatabase;
  let url: string;

  beforeAll(async () => {
    db = await testDatabase();
    const port = await freePort();
    app = await runService(maintenanceApiService, {
      NATS_URL: sharedNatsUrl(),
      NATS_NAMESPACE: testNamespace(),
      DATABASE_URL: db.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('routes - each one without a token is 401; only health, readiness and metrics are open', async () => {
    const routes = routesOf(app!);
    // The walk found the API, not just a handful of routes.
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes.filter((r) => r.isPublic).map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /healthz', 'GET /metrics', 'GET /readyz']);
    const open: string[] = [];
    for (const r of routes) {
      const path = r.path.replace(/:[A-Za-z]+/g, randomUUID());
      const res = await fetch(`${url}${path}`, {
        method: r.method === 'ALL' ? 'GET' : r.method,
        headers: r.method === 'GET' || r.method === 'DELETE' ? {} : { 'content-type': 'application/json' },
        body: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
      });
      const expected = r.isPublic ? res.status !== 401 : res.status === 401;
      if (!expected) open.push(`${r.method} ${r.path}: ${res.status}`);
    }
    expect(open).toEqual([]);
  });

  it('routes - a wrong token is 401 too, and the calendar takes its token as ?token= only where allowed', async () => {
    expect((await fetch(`${url}/api/v1/providers`, { headers: { authorization: 'Bearer mw_nonsense' } })).status).toBe(401);
    expect((await fetch(`${url}/api/v1/calendar.ics?token=mw_nonsense`)).status).toBe(401);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
