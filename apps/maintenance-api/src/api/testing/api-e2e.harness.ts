// Helpers for the API's end-to-end specs: the built maintenance-api between a real nats-server
// and PostgreSQL, tokens made as the token command makes them, HTTP calls as a client makes them.
import { Bus } from '@maintwatch/messaging';
import { Store, type TokenScope } from '@maintwatch/persistence';
import { startNats, testDatabase, testNamespace, type NatsServerHandle, type TestDatabase } from '@maintwatch/testing';
import { buildApp, startApi, until, type AppProcess } from '../../../e2e-support/maintenance-api.harness';
import { generateToken, hashToken } from '../auth/api-token';

/** A running maintenance-api with its NATS, database, a bus and tokens. */
export interface ApiStack {
  nats: NatsServerHandle;
  db: TestDatabase;
  bus: Bus;
  api: AppProcess;
  ns: string;
  readToken: string;
  writeToken: string;
  /** Makes another token (stored hashed, as the token command does). */
  token(scope: TokenScope, name: string): Promise<string>;
  stop(): Promise<number | null>;
}

/** Starts the stack; `env` adds to the service's environment. */
export async function startApiStack(env: Record<string, string> = {}): Promise<ApiStack> {
  buildApp('maintenance-api');
  const ns = testNamespace();
  const [nats, db] = await Promise.all([startNats(), testDatabase()]);
  const bus = await Bus.connect({ servers: nats.url, name: 'spec', namespace: ns });
  await bus.provision();
  const api = await startApi({ NATS_URL: nats.url, NATS_NAMESPACE: ns, DATABASE_URL: db.url, LOG_LEVEL: 'info', ...env });
  await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 20_000, 'ready');
  const store = await Store.open({ url: db.url, poolSize: 2 });
  const token = async (scope: TokenScope, name: string) => {
    const t = generateToken();
    await store.repos.api.tokens.create({ name, scope, tokenHash: hashToken(t) });
    return t;
  };
  const readToken = await token('read', 'spec-reader');
  const writeToken = await token('write', 'spec-writer');
  return {
    nats,
    db,
    bus,
    api,
    ns,
    readToken,
    writeToken,
    token,
    async stop() {
      const code = await api.stop();
      await store.close();
      await bus.close();
      await db.drop();
      await nats.stop();
      return code;
    },
  };
}

/** An HTTP answer. */
export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** Calls the API: JSON in and out unless `csv` or `raw` says otherwise. */
export async function call<T = Record<string, unknown>>(
  stack: Pick<ApiStack, 'api'>,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; csv?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = options.csv;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${stack.api.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}

export { until };
