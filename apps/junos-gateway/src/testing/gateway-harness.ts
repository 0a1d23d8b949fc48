// The junos-gateway in this process, between the shared nats-server and a PostgreSQL database
// of its own, for the webhook and device-event specs.
import type { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Bus } from '@maintwatch/messaging';
import { Store } from '@maintwatch/persistence';
import { runService } from '@maintwatch/runtime';
import { sharedNatsUrl, testDatabase, testNamespace, until, type TestDatabase } from '@maintwatch/testing';
import { junosGatewayService } from '../junos-gateway.service';
import { signWebhook } from '../webhooks/webhook-verifier';

/** A running gateway with its database, a bus on its namespace and a read token. */
export interface GatewayStack {
  url: string;
  ns: string;
  db: TestDatabase;
  bus: Bus;
  store: Store;
  app: INestApplication;
  readToken: string;
  /** Rows in gateway.device_event. */
  storedCount(): Promise<number>;
  /** A metric's value from /metrics (0 when absent). */
  metric(name: string, labels: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the gateway; `env` adds to (or overrides) its environment. */
export async function startGateway(env: Record<string, string> = {}): Promise<GatewayStack> {
  const ns = testNamespace();
  const db = await testDatabase();
  const app = await runService(junosGatewayService, {
    NATS_URL: sharedNatsUrl(),
    NATS_NAMESPACE: ns,
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '4',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JUNOS_OUTBOX_POLL_MS: '200',
    ...env,
  });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  await until(async () => (await fetch(`${url}/readyz`)).status === 200, 20_000, 'gateway ready');
  const bus = await Bus.connect({ servers: sharedNatsUrl(), name: 'spec', namespace: ns });
  const store = await Store.open({ url: db.url, poolSize: 2 });
  const token = `mwt_${randomBytes(32).toString('base64url')}`;
  await store.repos.api.tokens.create({ name: 'spec-reader', scope: 'read', tokenHash: createHash('sha256').update(token).digest('hex') });
  return {
    url,
    ns,
    db,
    bus,
    store,
    app,
    readToken: token,
    storedCount: () => store.repos.deviceEvents.count(),
    async metric(name, labels) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    },
    async stop() {
      await app.close();
      await store.close();
      await bus.close();
      await db.drop();
    },
  };
}

/** The seed agent's body shape, as Python's json.dumps writes it (", " and ": " separators). */
export function agentBody(fields: { event: string; hostname: string; message?: string; process?: string; detail?: string; time?: number; id?: string }): Buffer {
  const o: Record<string, unknown> = { event: fields.event, process: fields.process ?? 'mib2d', message: fields.message ?? '', hostname: fields.hostname, detail: fields.detail ?? '' };
  if (fields.time !== undefined) o.time = fields.time;
  if (fields.id !== undefined) o.id = fields.id;
  return Buffer.from(JSON.stringify(o).replace(/","/g, '", "').replace(/":/g, '": ').replace(/,"/g, ', "'));
}

/** POSTs a webhook signed in the timestamped scheme (or with the given headers). */
export async function postWebhook(
  url: string,
  body: Buffer,
  sign: { secret?: string; ts?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const ts = sign.ts ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = sign.headers ?? { 'junos-timestamp': String(ts), 'junos-auth': signWebhook(sign.secret ?? SECRET, body, ts) };
  const res = await fetch(`${url}/webhook/junos`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

/** The secret the specs configure first. */
export const SECRET = 'spec-secret-0123456789';

/** Runs SQL on a database. */
export async function sql<T = Record<string, unknown>>(dbUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}
