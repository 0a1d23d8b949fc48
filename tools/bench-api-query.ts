// The query part of `npm run bench:api` (tools/bench-api.ts calls benchListQuery): p50/p99
// latency of a filtered maintenance list (status + time window, a page of 50) at a fixed rate
// of 200 requests/s for 30 s, against the built maintenance-api with 100,000 maintenances and
// 500,000 impacts loaded. Open loop: requests leave on schedule whether or not earlier ones
// have answered, and each latency is measured from its scheduled time, so a stall shows in
// the figures instead of slowing the load (no coordinated omission). Its own nats-server and
// PostgreSQL, thrown away afterwards. Run alone: `npx tsx tools/bench-api-query.ts`.
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { buildApp, ownNats, ownPostgres, startApp, testDatabase, until } from '@maintwatch/testing';
import { generateToken, hashToken } from '../apps/maintenance-api/src/api/auth/api-token';

/** How the list benchmark runs. */
export interface ListBenchOptions {
  maintenances: number;
  impactsPerMaintenance: number;
  circuits: number;
  rate: number;
  seconds: number;
  warmupSeconds: number;
}

const DEFAULTS: ListBenchOptions = { maintenances: 100_000, impactsPerMaintenance: 5, circuits: 20_000, rate: 200, seconds: 30, warmupSeconds: 5 };
const execFileAsync = promisify(execFile);

async function sql(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

/** Loads the data set straight in SQL (the ingest part measures the path through NATS). */
async function load(url: string, o: ListBenchOptions, now: number): Promise<void> {
  const providers = ['zayo', 'ntt', 'gtt', 'lumen', 'equinix', 'colt', 'telstra', 'verizon'];
  await sql(
    url,
    `WITH c AS (INSERT INTO circuit (provider_type, provider_circuit_id, verified, redundancy_group, a_side, z_side)
                SELECT ($2::text[])[1 + g % 8], 'BENCH/' || g, true, CASE WHEN g % 4 = 0 THEN 'grp-' || (g / 4 % 2000) END,
                       'DC-' || (g % 500), 'DC-' || ((g * 7) % 500)
                FROM generate_series(0, $1 - 1) g RETURNING id, provider_type, provider_circuit_id)
     INSERT INTO circuit_name (provider_type, name_key, name, circuit_id, "primary") SELECT provider_type, lower(provider_circuit_id), provider_circuit_id, id, true FROM c`,
    [o.circuits, providers],
  );
  // A year of maintenances around now: half past, half ahead; the status mix of a real feed.
  await sql(
    url,
    `INSERT INTO maintenance (provider_type, maintenance_id, account, organizer, uid, status, starts_at, ends_at, summary, sequence, stamp, version, phase)
     SELECT ($3::text[])[1 + g % 8], 'BM-' || g, 'ACCT-' || (g % 300), 'noc@example.net', '0',
       CASE WHEN g % 100 < 70 THEN 'CONFIRMED' WHEN g % 100 < 78 THEN 'CANCELLED' WHEN g % 100 < 90 THEN 'COMPLETED'
            WHEN g % 100 < 95 THEN 'TENTATIVE' WHEN g % 100 < 99 THEN 'RE-SCHEDULED' ELSE 'IN-PROCESS' END,
       to_timestamp($2 + ((g * 7919) % (365 * 24)) * 3600 - 182 * 86400),
       to_timestamp($2 + ((g * 7919) % (365 * 24)) * 3600 - 182 * 86400 + (2 + g % 6) * 3600),
       'Planned work ' || g, 1, to_timestamp($2 - 400 * 86400), 1, 'scheduled'
     FROM generate_series(0, $1 - 1) g`,
    [o.maintenances, now, providers],
  );
  await sql(
    url,
    `INSERT INTO circuit_impact (maintenance_id, circuit_key, circuit_ref, circuit_id, impact)
     SELECT m.id, lower(c.provider_circuit_id), c.provider_circuit_id, c.id, CASE WHEN k = 0 THEN 'OUTAGE' WHEN k < 3 THEN 'DEGRADED' ELSE 'NO-IMPACT' END
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM maintenance) m
     CROSS JOIN generate_series(0, $1 - 1) k
     JOIN circuit c ON c.provider_circuit_id = 'BENCH/' || ((m.n * 13 + k * 4001) % $2)`,
    [o.impactsPerMaintenance, o.circuits],
  );
  // As autovacuum leaves a table in steady state (visibility map set: index-only scans read no rows).
  await sql(url, 'VACUUM ANALYZE');
  // And flushed: the load leaves some hundred MB of dirty pages, which a checkpoint would
  // otherwise write out in the middle of the measurement (seen as stalls of 100-200 ms).
  await sql(url, 'CHECKPOINT');
  // The bench's cluster runs without fsync: the checkpoint leaves those pages dirty in the
  // kernel, whose writeback would run in the middle of the measurement. Written out now.
  execFileSync('sync');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** What tools/bench-api-list-load.mjs reports of one run. */
interface LoadRun {
  latencies: number[];
  errors: number;
  firstError?: string;
  parsed: number;
  items: number;
  startEpochMs: number;
  intervalMs: number;
}

/**
 * The warm-up and the measured run, by the load generator in a process of its own (see
 * tools/bench-api-list-load.mjs for why). BENCH_TIMELINE=<file> writes each request's scheduled
 * time (epoch ms) and latency, a line each, for looking at stalls.
 */
async function runLoad(base: string, token: string, o: ListBenchOptions, now: number): Promise<LoadRun> {
  const config = { base, rate: o.rate, seconds: o.seconds, warmupSeconds: o.warmupSeconds, now, parseEvery: 10 };
  const { stdout } = await execFileAsync(process.execPath, ['--single-threaded-gc', join(__dirname, 'bench-api-list-load.mjs'), JSON.stringify(config)], {
    env: { PATH: process.env.PATH ?? '', BENCH_TOKEN: token },
    maxBuffer: 64 * 2 ** 20,
  });
  const r = JSON.parse(stdout) as LoadRun;
  if (r.firstError) console.error(`first failed list request: ${r.firstError}`);
  const timelineFile = process.env.BENCH_TIMELINE;
  if (timelineFile) {
    const lines = r.latencies.map((latency, i) => `${Math.round(r.startEpochMs + i * r.intervalMs)} ${latency.toFixed(1)}`);
    writeFileSync(timelineFile, `${lines.join('\n')}\n`);
  }
  return r;
}

/** The list benchmark: figure lines and the p50 / p99 in ms. */
export async function benchListQuery(options: Partial<ListBenchOptions> = {}): Promise<{ lines: string[]; p50: number; p99: number }> {
  const o = { ...DEFAULTS, ...options };
  // shared_buffers as a server holding this data would have it (the 294 MB database does not
  // fit the default 128 MB: pages read through the kernel's cache, which reclaim can drop).
  const [nats, pg] = await Promise.all([ownNats(), ownPostgres({ settings: { shared_buffers: '512MB' } })]);
  const lines: string[] = [];
  try {
    const db = await testDatabase(pg.url);
    buildApp('maintenance-api');
    const api = await startApp('maintenance-api', { NATS_URL: nats.url, NATS_NAMESPACE: 'benchq', DATABASE_URL: db.url, LOG_LEVEL: 'warn', CLOCK_ENABLED: 'false' }, 30_000);
    try {
      await until(async () => (await fetch(`${api.url}/readyz`)).status === 200, 30_000, 'maintenance-api ready');
      // The built-in providers are seeded at start: wait for them (the data refers to them).
      await until(async () => (await sql(db.url, `SELECT 1 FROM provider WHERE type = 'verizon'`)).length === 1, 30_000, 'providers seeded');
      const now = Math.floor(Date.now() / 1000);
      const loading = performance.now();
      await load(db.url, o, now);
      const [counts = {}] = await sql(db.url, `SELECT (SELECT count(*)::int FROM maintenance) AS m, (SELECT count(*)::int FROM circuit_impact) AS i, (SELECT count(*)::int FROM circuit) AS c`);
      lines.push(`list data: ${counts.m} maintenances, ${counts.i} impacts, ${counts.c} circuits (loaded in ${((performance.now() - loading) / 1000).toFixed(1)} s)`);
      const token = generateToken();
      await sql(db.url, `INSERT INTO api_token (name, scope, token_hash) VALUES ('bench', 'read', $1)`, [hashToken(token)]);
      const io = async () => (await sql(db.url, `SELECT blks_read::bigint AS r, blks_hit::bigint AS h, pg_database_size(current_database())::bigint AS size FROM pg_stat_database WHERE datname = current_database()`))[0] ?? {};
      const before = await io();
      const run = await runLoad(api.url, token, o, now);
      await sleep(1100); // the backends report their counts at most once a second
      const after = await io();
      lines.push(
        `list io: database ${(Number(after.size) / 2 ** 20).toFixed(0)} MB; during warm-up and run ${Number(after.r) - Number(before.r)} blocks read from outside shared_buffers, ${Number(after.h) - Number(before.h)} hits`,
      );
      const sorted = [...run.latencies].sort((a, b) => a - b);
      const p50 = percentile(sorted, 50);
      const p99 = percentile(sorted, 99);
      lines.push(
        `list: GET /api/v1/maintenances?status=CONFIRMED&from&to (7 days)&limit=50 at ${o.rate}/s for ${o.seconds} s: ${sorted.length} requests, ` +
          `${run.errors} errors, ${(run.items / Math.max(1, run.parsed)).toFixed(1)} items per page (${run.parsed} parsed); ` +
          `p50 ${p50.toFixed(1)} ms, p90 ${percentile(sorted, 90).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${percentile(sorted, 100).toFixed(1)} ms`,
      );
      if (run.errors > 0) {
        // Reported, not thrown: a saturated service is a figure too (its latencies count failures).
        const reasons = [...new Set(api.output().split('\n').filter((l) => l.includes('"level":"warn"')).map((l) => l.replace(/.*"msg":"/, '').replace(/[?&].*$/, '').slice(0, 160)))].slice(0, 3);
        lines.push(`list: ${run.errors} requests failed; the service said: ${reasons.join(' | ')}`);
      }
      return { lines, p50, p99 };
    } finally {
      // BENCH_APP_LOG=<file>: what the service printed (with APP_NODE_FLAGS=--trace-gc, its collections).
      if (process.env.BENCH_APP_LOG) writeFileSync(process.env.BENCH_APP_LOG, api.output());
      await api.stop();
      await db.drop();
    }
  } finally {
    await Promise.allSettled([nats.stop(), pg.stop()]);
  }
}

/** The loader, for looking at query plans by hand. */
export const __load = (url: string, o: Partial<ListBenchOptions>, now: number) => load(url, { ...DEFAULTS, ...o }, now || Math.floor(Date.now() / 1000));

if (require.main === module) {
  benchListQuery().then(
    (r) => {
      for (const line of r.lines) console.log(line);
      console.log(`list p99: ${r.p99.toFixed(1)} ms`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
