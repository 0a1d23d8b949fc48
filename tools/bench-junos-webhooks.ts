// npm run bench:junos-webhooks -- [--events N] [--concurrency C]: signed device webhooks
// verified and stored per second by the built junos-gateway. The load generator (this process)
// signs every request beforehand (timestamped scheme) and posts them over keep-alive HTTP
// connections, C at a time; the clock runs from the first request to the last answer, and every
// answer must be 202 with the row in gateway.device_event (checked after). Distinct events, one
// device each per 100, as a burst of link traps from a fleet would be. Uses NATS_URL and
// DATABASE_URL when set (their services), otherwise starts its own nats-server and a PostgreSQL
// cluster with fsync on. Last line exactly:
//   webhooks: <number> /s
// Importable: benchJunosWebhooks() returns the figure (for a combined bench:junos).
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Client } from 'pg';
import { buildApp, ownNats, ownPostgres, startApp, testDatabase, testNamespace, until } from '@maintwatch/testing';

/** Options of one run. */
export interface WebhookBenchOptions {
  events?: number;
  concurrency?: number;
  /** Reported as it goes (default: console.log). */
  log?: (line: string) => void;
}

/** The result of one run. */
export interface WebhookBenchResult {
  perSecond: number;
  events: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

const SECRET = 'bench-secret-0123456789abcdef';

/** Runs the benchmark once, with its own services unless NATS_URL / DATABASE_URL are set. */
export async function benchJunosWebhooks(options: WebhookBenchOptions = {}): Promise<WebhookBenchResult> {
  const events = options.events ?? 20_000;
  const concurrency = options.concurrency ?? 64;
  const log = options.log ?? ((l: string) => console.log(l));
  const ownN = process.env.NATS_URL ? undefined : await ownNats();
  const ownP = process.env.DATABASE_URL ? undefined : await ownPostgres({ durable: true });
  const db = await testDatabase(process.env.DATABASE_URL ?? ownP?.url);
  buildApp('junos-gateway');
  const gw = await startApp('junos-gateway', {
    NATS_URL: process.env.NATS_URL ?? ownN?.url ?? '',
    NATS_NAMESPACE: testNamespace(),
    DATABASE_URL: db.url,
    LOG_LEVEL: 'warn',
    JUNOS_WEBHOOK_SECRETS: SECRET,
    JUNOS_WEBHOOK_RATE_PER_SECOND: '100000',
    JUNOS_WEBHOOK_RATE_BURST: '100000',
  });
  try {
    await until(async () => (await fetch(`${gw.url}/readyz`)).status === 200, 30_000, 'gateway ready');
    const ts = Math.floor(Date.now() / 1000);
    const signed = (event: Record<string, unknown>) => {
      const body = Buffer.from(JSON.stringify(event));
      const auth = createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex');
      return { body, headers: { 'content-type': 'application/json', 'content-length': String(body.length), 'junos-timestamp': String(ts), 'junos-auth': auth } };
    };
    const requests = Array.from({ length: events }, (_, i) =>
      signed({
        event: i % 5 === 0 ? 'RPD_BGP_NEIGHBOR_STATE_CHANGED' : 'SNMP_TRAP_LINK_DOWN',
        process: i % 5 === 0 ? 'rpd' : 'mib2d',
        message: `ifIndex ${500 + (i % 48)}, ifAdminStatus up(1), ifOperStatus down(2), ifName xe-0/0/${i % 48}`,
        hostname: `edge${Math.floor(i / 100)}.bench`,
        detail: '',
        time: ts,
        id: randomUUID(),
      }),
    );
    const url = new URL(`${gw.url}/webhook/junos`);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const post = (r: (typeof requests)[number]) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: r.headers, agent }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
        });
        req.once('error', reject);
        req.end(r.body);
      });
    // Warm-up (connections, JIT, the first inserts), not counted; its events are distinct too.
    for (let i = 0; i < 300; i++) await post(signed({ event: 'SNMP_TRAP_LINK_UP', hostname: 'warmup', message: String(i), id: randomUUID(), time: ts }));
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) {
          const r = requests[next++];
          const t0 = process.hrtime.bigint();
          const status = await post(r);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (status !== 202) failed++;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();
    if (failed) throw new Error(`${failed} of ${events} webhooks were not accepted (202)`);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const stored = Number((await c.query(`SELECT count(*)::int AS n FROM gateway.device_event WHERE device <> 'warmup'`)).rows[0].n);
    await c.end();
    if (stored !== events) throw new Error(`${stored} of ${events} webhooks stored`);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    const result = { perSecond: events / seconds, events, seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
    log(`${events} webhooks, ${concurrency} at a time, in ${seconds.toFixed(2)} s; latency p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms; all stored`);
    return result;
  } finally {
    await gw.stop();
    await db.drop();
    await ownP?.stop();
    await ownN?.stop();
  }
}

function parseArgs(argv: string[]): WebhookBenchOptions {
  const o: WebhookBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2);
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
    if (flag === '--events') o.events = value;
    else if (flag === '--concurrency') o.concurrency = value;
    else throw new Error(`unknown option ${flag} (--events N, --concurrency C)`);
  }
  return o;
}

if (require.main === module) {
  benchJunosWebhooks(parseArgs(process.argv.slice(2))).then(
    (r) => {
      console.log(`webhooks: ${Math.round(r.perSecond)} /s`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
