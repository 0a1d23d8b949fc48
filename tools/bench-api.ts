// npm run bench:api -- [--events N] [--concurrency C] [--only ingest|list]: maintenance-api's ingest throughput.
// Parsed maintenances (maintenance.parsed.v1, as the parser publishes them) go onto JetStream
// while the built service runs; the clock stops when the last one is committed in PostgreSQL.
// PostgreSQL runs with its durability settings on (fsync, synchronous_commit, full_page_writes):
// every committed maintenance is on disk. Its own nats-server and PostgreSQL cluster, thrown
// away afterwards. The mix: 80 % new maintenances, 20 % newer notices of earlier ones (a moved
// window or a changed summary), windows spread over a year, 1-4 circuits each from a
// 20,000-circuit inventory (two in five in redundancy pairs), 5 % of the circuits unknown
// (created unverified, with a note). Its last line for this part is exactly
//   ingest: <number> events/s
import { Client } from 'pg';
import { MaintenanceParsed, SUBJECTS } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { buildApp, ownNats, ownPostgres, startApp, testDatabase, until } from '@maintwatch/testing';
import { benchListQuery } from './bench-api-query';

interface Args {
  events: number;
  /** PARSED_CONCURRENCY of the service; its default when not given. */
  concurrency?: number;
  only?: 'ingest' | 'list';
}

function parseArgs(argv: string[]): Args {
  const args: Args = { events: 20_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2);
    if (flag === '--only') {
      const part = inline ?? argv[++i];
      if (part !== 'ingest' && part !== 'list') throw new Error('--only takes ingest or list');
      args.only = part;
      continue;
    }
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
    if (flag === '--events') args.events = value;
    else if (flag === '--concurrency') args.concurrency = value;
    else throw new Error(`unknown option ${flag} (--events N, --concurrency C, --only ingest|list)`);
  }
  return args;
}

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** A deterministic pseudo-random sequence (the same mix on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const INVENTORY = 20_000;

function workload(n: number, now: number): MaintenanceParsed[] {
  const rnd = random(42);
  const messages: MaintenanceParsed[] = [];
  const made: MaintenanceParsed['maintenance'][] = [];
  for (let i = 0; i < n; i++) {
    const update = made.length > 100 && rnd() < 0.2;
    let m: MaintenanceParsed['maintenance'];
    if (update) {
      const at = Math.floor(rnd() * made.length);
      const prior = made[at] ?? made[0];
      if (!prior) continue;
      const moved = rnd() < 0.5;
      m = {
        ...prior,
        sequence: prior.sequence + 1,
        stamp: prior.stamp + 60,
        start: moved ? prior.start + 86_400 : prior.start,
        end: moved ? prior.end + 86_400 : prior.end,
        summary: moved ? prior.summary : `${prior.summary} (update ${prior.sequence + 1})`,
      };
      made[at] = m;
    } else {
      const circuits = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ({
        circuit_id: rnd() < 0.05 ? `UNKNOWN-${Math.floor(rnd() * 1e9)}` : `ZYO/${100000 + Math.floor(rnd() * INVENTORY)}//ZYO`,
        impact: rnd() < 0.7 ? ('OUTAGE' as const) : ('DEGRADED' as const),
      }));
      const start = now + 86_400 * (2 + Math.floor(rnd() * 365)) + 3600 * Math.floor(rnd() * 24);
      m = {
        provider: 'zayo',
        account: `ACME-${Math.floor(rnd() * 50)}`,
        maintenance_id: `TTN-${1_000_000 + i}`,
        circuits,
        status: 'CONFIRMED',
        start,
        end: start + 4 * 3600,
        stamp: now - 3600,
        organizer: 'mr@zayo.com',
        uid: '0',
        sequence: 1,
        summary: `Fiber relocation ${i}`,
      };
      made.push(m);
    }
    messages.push({ noticeId: `bench:${i}@zayo.com`, attempt: 1, index: 0, count: 1, providerType: 'zayo', parsers: ['zayo-html'], maintenance: m });
  }
  return messages;
}

/** Ingest: parsed maintenances published on JetStream, persisted by the running service, per second. */
async function benchIngest(args: Args): Promise<{ lines: string[]; eventsPerSecond: number }> {
  const [nats, pg] = await Promise.all([ownNats(), ownPostgres({ durable: true })]);
  const lines: string[] = [];
  try {
    const settings = await query<{ name: string; setting: string }>(
      pg.url,
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'server_version') ORDER BY name`,
    );
    lines.push(`postgresql: ${settings.map((s) => `${s.name}=${s.setting}`).join(', ')}`);
    const db = await testDatabase(pg.url);
    buildApp('maintenance-api');
    const api = await startApp(
      'maintenance-api',
      {
        NATS_URL: nats.url,
        NATS_NAMESPACE: 'bench',
        DATABASE_URL: db.url,
        LOG_LEVEL: 'warn',
        ...(args.concurrency ? { PARSED_CONCURRENCY: String(args.concurrency) } : {}),
        DATABASE_POOL_SIZE: '16',
        // Tuning under test: the service's own variables, when given to the benchmark.
        ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => /^PARSED_/.test(e[0]) && e[1] !== undefined)),
      },
      30_000,
    );
    try {
      await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 30_000, 'maintenance-api ready');
      // The inventory, as an operator's circuit import would leave it.
      await query(
        db.url,
        `WITH c AS (INSERT INTO circuit (provider_type, provider_circuit_id, verified, redundancy_group)
                    SELECT 'zayo', 'ZYO/' || (100000 + g) || '//ZYO', true, CASE WHEN g % 5 < 2 THEN 'pair-' || (g / 5) END
                    FROM generate_series(0, $1 - 1) g RETURNING id, provider_circuit_id)
         INSERT INTO circuit_name (provider_type, name_key, name, circuit_id, "primary") SELECT 'zayo', lower(provider_circuit_id), provider_circuit_id, id, true FROM c`,
        [INVENTORY],
      );
      const messages = workload(args.events, Math.floor(Date.now() / 1000));
      const bus = await Bus.connect({ servers: nats.url, name: 'bench', namespace: 'bench' });
      try {
        // Validated and encoded before the clock starts, so that the figure is the service's, not
        // the publisher's (the parser validates its own output in production, on its own cores).
        const subject = bus.ns.subject(SUBJECTS.maintenanceParsed);
        const encoded = messages.map((p) => ({ id: `${p.noticeId}#${p.attempt}/parsed/${p.index}`, data: new TextEncoder().encode(JSON.stringify(MaintenanceParsed.parse(p))) }));
        const started = performance.now();
        // Asynchronous publish in windows of 500 (as a busy parser would), each message acked by JetStream.
        for (let i = 0; i < encoded.length; i += 500) {
          await Promise.all(encoded.slice(i, i + 500).map((m) => bus.js.publish(subject, m.data, { msgID: m.id })));
        }
        const published = performance.now();
        let committed = 0;
        await until(
          async () => (committed = (await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM parsed_record'))[0]?.n ?? 0) >= messages.length,
          600_000,
          'every parsed maintenance committed',
        );
        const done = performance.now();
        const seconds = (done - started) / 1000;
        const [counts = { maintenances: 0, events: 0, circuits: 0, notes: 0 }] = await query<{ maintenances: number; events: number; circuits: number; notes: number }>(
          db.url,
          `SELECT (SELECT count(*)::int FROM maintenance) AS maintenances, (SELECT count(*)::int FROM outbox) AS events,
                  (SELECT count(*)::int FROM circuit) AS circuits, (SELECT count(*)::int FROM note) AS notes`,
        );
        lines.push(
          `workload: ${messages.length} parsed maintenances (${counts.maintenances} maintenances, the rest newer notices of them), ` +
            `1-4 circuits each, concurrency ${args.concurrency ?? 'default'}`,
        );
        lines.push(`published: ${messages.length} in ${((published - started) / 1000).toFixed(2)} s`);
        lines.push(
          `committed: ${committed} parsed records, ${counts.maintenances} maintenances, ${counts.events} outbox events, ` +
            `${counts.circuits - INVENTORY} unknown circuits created, ${counts.notes} notes in ${seconds.toFixed(2)} s`,
        );
        return { lines, eventsPerSecond: messages.length / seconds };
      } finally {
        await bus.close();
      }
    } finally {
      await api.stop();
      await db.drop();
    }
  } finally {
    await Promise.allSettled([nats.stop(), pg.stop()]);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log('bench:api - maintenance-api');
  const ingest = args.only === 'list' ? undefined : await benchIngest(args);
  for (const line of ingest?.lines ?? []) console.log(line);
  const list = args.only === 'ingest' ? undefined : await benchListQuery();
  for (const line of list?.lines ?? []) console.log(line);
  if (ingest) console.log(`ingest: ${Math.round(ingest.eventsPerSecond)} events/s`);
  if (list) console.log(`list p99: ${list.p99.toFixed(1)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
