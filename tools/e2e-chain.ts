// The whole chain for the e2e benchmark and the chaos run: provider-format mails and the
// services as built processes on one NATS and one PostgreSQL, notifications to a fake Slack.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { Client } from 'pg';
import { Bus } from '@maintwatch/messaging';
import { buildApp, startApp, startDovecot, startFakeSlack, testDatabase, testNamespace, until, type AppProcess, type DovecotHandle, type FakeSlack, type TestDatabase } from '@maintwatch/testing';
import { NOTIFY_TYPES } from '../apps/notifier/src/rendering/notification';

/** A positive whole-number command-line option (`--name N`), or its default. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive whole number`);
  return v;
}

/** Runs a benchmark's main: exit 0 when it ends, 1 with the error's message when it throws. */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}

const root = join(__dirname, '..');
const fixtures = join(root, 'libs/providers/fixtures');
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export interface Template {
  provider: string;
  raw: string;
  ids: string[];
}

/** Every provider fixture with the maintenance ids its expected result names. */
export function templates(): Template[] {
  const out: Template[] = [];
  for (const provider of readdirSync(fixtures).sort()) {
    for (const f of readdirSync(join(fixtures, provider)).filter((n) => n.endsWith('.eml')).sort()) {
      const raw = readFileSync(join(fixtures, provider, f), 'latin1');
      let ids: string[] = [];
      try {
        const expected = JSON.parse(readFileSync(join(fixtures, provider, f.replace(/\.eml$/, '.expected.json')), 'utf8')) as unknown;
        const list = Array.isArray(expected) ? expected : [expected];
        ids = list.flatMap((m) => (m && typeof m === 'object' && typeof (m as { maintenance_id?: unknown }).maintenance_id === 'string' ? [(m as { maintenance_id: string }).maintenance_id] : []));
      } catch {
        // no expected file: an unparsed or ignored sample, used as it is
      }
      out.push({ provider, raw, ids: [...new Set(ids)] });
    }
  }
  return out;
}

/** The n-th copy of a template: its own Message-ID, and its own maintenance id where one has a digit run (same length, so folding stays valid). */
export function copy(t: Template, n: number): string {
  let raw = t.raw.replace(/^Message-ID:[^\r\n]*/im, `Message-ID: <bench-${n}-${t.provider}@bench.invalid>`);
  if (!/^Message-ID:/im.test(raw)) raw = `Message-ID: <bench-${n}-${t.provider}@bench.invalid>\r\n${raw}`;
  for (const id of t.ids) {
    const m = /(\d{4,})(?!.*\d)/.exec(id);
    if (!m) continue;
    const digits = m[1];
    const unique = String(n).padStart(digits.length, '0').slice(-digits.length);
    const variant = id.slice(0, m.index) + unique + id.slice(m.index + digits.length);
    raw = raw.split(id).join(variant);
  }
  return raw;
}

export function mbox(mails: string[]): string {
  // mboxrd: "From " lines in bodies are quoted.
  return mails.map((m) => `From bench@bench.invalid Mon Dec  7 00:00:00 2026\n${m.replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1')}\n`).join('\n');
}

const stamp = (t: number) => new Date(t * 1000).toISOString().replace(/[-:]|\.\d{3}/g, '');
export function latencyMail(ticket: string): string {
  const start = Math.floor(Date.now() / 1000) + 30 * 86_400;
  return [
    'From: NTT Communications Global IP Network NOC <noc@us.ntt.net>',
    'To: netops@bench.invalid',
    `Subject: NTT Communications (AS2914) Maintenance Notification: Scheduled [${ticket}]`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${ticket}@us.ntt.net>`,
    'MIME-Version: 1.0',
    'Content-Type: text/calendar; charset=utf-8',
    '',
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:Data::ICal 0.24',
    'BEGIN:VEVENT',
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(start + 4 * 3600)}`,
    `DTSTAMP:${stamp(start - 86_400)}`,
    'SEQUENCE:1',
    `SUMMARY:Scheduled [${ticket}]`,
    `UID:${ticket}`,
    'X-MAINTNOTE-ACCOUNT:77001234',
    'X-MAINTNOTE-IMPACT:OUTAGE',
    `X-MAINTNOTE-MAINTENANCE-ID:${ticket}`,
    'X-MAINTNOTE-OBJECT-ID;X-MAINTNOTE-OBJECT-IMPACT=OUTAGE:201945',
    'X-MAINTNOTE-PROVIDER:NTT Communications (AS2914)',
    'X-MAINTNOTE-STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}


/** The chain's services, in start order. */
export const CHAIN_APPS = ['maintenance-api', 'parser', 'notifier', 'ingest'] as const;
export type ChainApp = (typeof CHAIN_APPS)[number];

/** A running chain. */
export interface Chain {
  ns: string;
  db: TestDatabase;
  bus: Bus;
  slack: FakeSlack;
  dovecot: DovecotHandle;
  apps: Map<ChainApp, AppProcess>;
  /** Starts (or starts again) one service and waits until it is ready. */
  start(app: ChainApp): Promise<void>;
  /** SIGKILLs one service (no shutdown) and waits for its exit. */
  kill(app: ChainApp): Promise<void>;
  /** Raw notices of `source` stored, and how many are accounted (parsed, unparsed or ignored). */
  accounted(source: string): Promise<{ stored: number; accounted: number }>;
  /** At least `n` raw notices of `source` stored (a cheap count, for polling). */
  storedAtLeast(source: string, n: number): Promise<boolean>;
  /**
   * At least `n` notices of `source` accounted. For polling: the exact query (three index probes
   * per notice, ~11 ms at 2,000 notices, 1.4 s of PostgreSQL's CPU over a bench:e2e run polled
   * every 100 ms) runs only once a cheap upper bound (records of any source) has reached `n`.
   */
  accountedAtLeast(source: string, n: number): Promise<boolean>;
  /** No event waits in the outbox, the notifier has nothing pending or unacknowledged, and no delivery waits to be posted. */
  notifierIdle(): Promise<boolean>;
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

const CHANNEL = 'C_BENCH';
/** A string as an SQL literal. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Starts the four mail services as built processes on `natsUrl` and a new database on `pgUrl` (`parserWorkers`: PARSER_WORKERS, else the parser's default). */
export async function startChain(natsUrl: string, pgUrl: string, options: { parserWorkers?: number } = {}): Promise<Chain> {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-chain-'));
  const [dovecot, slack, db] = await Promise.all([startDovecot({ users: [{ user: 'noc', pass: 'noc-secret' }] }), startFakeSlack({ channels: [CHANNEL] }), testDatabase(pgUrl)]);
  const ns = testNamespace();
  for (const app of CHAIN_APPS) buildApp(app);
  const sources = join(dir, 'sources.json');
  writeFileSync(sources, JSON.stringify({ sources: [{ name: 'noc', type: 'imap', host: dovecot.host, port: dovecot.port, security: 'none', user: 'noc', passwordEnv: 'IMAP_NOC_PASSWORD' }] }));
  const routes = join(dir, 'routes.yaml');
  // Slack's real limit is about one message per second per channel; the fake has none, and the
  // chain is measured, not Slack's limit.
  writeFileSync(routes, yaml.dump({ destinations: { slack: { type: 'slack-webhook', urlEnv: 'BENCH_SLACK_URL', rateLimit: { perSecond: 1000, burst: 1000 } } }, routes: [{ name: 'all', events: [...NOTIFY_TYPES], destinations: ['slack'] }] }));
  const base = { NATS_URL: natsUrl, NATS_NAMESPACE: ns, LOG_LEVEL: 'warn' };
  const env: Record<ChainApp, Record<string, string>> = {
    'maintenance-api': { ...base, DATABASE_URL: db.url },
    parser: { ...base, ...(options.parserWorkers ? { PARSER_WORKERS: String(options.parserWorkers) } : {}) },
    notifier: { ...base, NOTIFIER_ROUTES_FILE: routes, BENCH_SLACK_URL: slack.webhookUrl(CHANNEL) },
    ingest: { ...base, INGEST_SOURCES_FILE: sources, IMAP_NOC_PASSWORD: 'noc-secret' },
  };
  const apps = new Map<ChainApp, AppProcess>();
  const start = async (app: ChainApp) => {
    const p = await startApp(app, env[app], 60_000);
    apps.set(app, p);
    await until(async () => (await fetch(`${p.url}/readyz`).catch(() => undefined))?.status === 200, 120_000, `${app} ready`);
  };
  for (const app of CHAIN_APPS) await start(app);
  const pgc = new Client({ connectionString: db.url });
  await pgc.connect();
  pgc.on('error', () => undefined);
  let client = pgc;
  // A PostgreSQL restart drops the connection: reconnect on the next query.
  const query = async <T extends Record<string, unknown>>(sql: string): Promise<T[]> => {
    try {
      return (await client.query<T>(sql)).rows;
    } catch (err) {
      const next = new Client({ connectionString: db.url });
      next.on('error', () => undefined);
      await next.connect();
      await client.end().catch(() => undefined);
      client = next;
      if (err instanceof Error && /terminat|connection|ECONNRESET|shut/i.test(err.message)) return (await client.query<T>(sql)).rows;
      throw err;
    }
  };
  const accounted = async (source: string) => {
    const rows = await query<{ stored: string; accounted: string }>(
      `SELECT count(*) AS stored,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM parsed_record p WHERE p.notice_id = r.notice_id)
           OR EXISTS (SELECT 1 FROM unparsed_record u WHERE u.notice_id = r.notice_id)
           OR EXISTS (SELECT 1 FROM ignored_record g WHERE g.notice_id = r.notice_id)) AS accounted
       FROM raw_notice r WHERE r.source = ${literal(source)}`,
    );
    return { stored: Number(rows[0].stored), accounted: Number(rows[0].accounted) };
  };
  const bus = await Bus.connect({ servers: natsUrl, name: 'e2e-chain', namespace: ns });
  return {
    ns,
    db,
    bus,
    slack,
    dovecot,
    apps,
    start,
    async kill(app) {
      const p = apps.get(app);
      if (!p) return;
      p.child.kill('SIGKILL');
      await p.stop();
      apps.delete(app);
    },
    accounted,
    async storedAtLeast(source, n) {
      const rows = await query<{ stored: string }>(`SELECT count(*) AS stored FROM raw_notice WHERE source = ${literal(source)}`);
      return Number(rows[0].stored) >= n;
    },
    async accountedAtLeast(source, n) {
      const [bound] = await query<{ upper: string }>(
        `SELECT (SELECT count(DISTINCT notice_id) FROM parsed_record) + (SELECT count(*) FROM unparsed_record) + (SELECT count(*) FROM ignored_record) AS upper`,
      );
      if (Number(bound.upper) < n) return false;
      return (await accounted(source)).accounted >= n;
    },
    async notifierIdle() {
      const rows = await query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`);
      if (Number(rows[0].n) > 0) return false;
      try {
        const jsm = await bus.jsm();
        for (const stream of ['MAINTENANCE', 'NOTICES'] as const) {
          for (const c of await jsm.consumers.list(bus.ns.stream(stream)).next()) {
            if (c.name.includes('notifier') && (c.num_pending > 0 || c.num_ack_pending > 0)) return false;
          }
        }
      } catch {
        return false; // NATS not reachable yet (restarted): ask again
      }
      // The consumers only take events in (a pending delivery record each, then the ack); each
      // destination's worker posts afterwards. Idle means those queues are empty too, or the
      // benchmark would stop the clock with hundreds of Slack posts still to make.
      const notifier = apps.get('notifier');
      if (!notifier) return false;
      const metrics = await fetch(`${notifier.url}/metrics`).then((r) => (r.ok ? r.text() : undefined), () => undefined);
      if (metrics === undefined) return false;
      return !/^notifier_queued_deliveries\{[^}]*\} [1-9]/m.test(metrics);
    },
    query,
    async close() {
      await Promise.all([...apps.values()].map((p) => p.stop()));
      await bus.close().catch(() => undefined);
      await client.end().catch(() => undefined);
      await slack.close();
      await dovecot.stop();
      await db.drop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Slack posts of the chain's channel. */
export const chainPosts = (chain: Chain) => chain.slack.messages(CHANNEL);

/** The command name and CPU seconds (utime + stime) of a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat text. */
export function statCpu(stat: string): { comm: string; seconds: number } {
  const tick = 100; // USER_HZ: 100 on every Linux architecture Node runs on
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm, seconds: (Number(fields[11]) + Number(fields[12])) / tick };
}

/**
 * CPU seconds used so far by every process on the machine, by role: each chain service (its
 * node process with all its threads: parse workers, GC and JIT helpers), nats-server, PostgreSQL
 * (postmaster and backends), this benchmark (the import), and everything else. Read from
 * /proc/<pid>/stat (utime + stime); the difference of two readings is what each role spent in
 * between. CPU seconds, unlike the wall clock, do not depend on what else shares the cores, so
 * they say where the chain's time goes. Linux only (an empty map elsewhere).
 */
export function cpuByRole(): Map<string, number> {
  const roles = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return roles;
  }
  for (const pid of pids) {
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const { comm, seconds } = statCpu(stat);
    if (!Number.isFinite(seconds) || seconds === 0) continue;
    const app = /dist\/apps\/([a-z-]+)\//.exec(cmdline)?.[1];
    const role = Number(pid) === process.pid ? 'bench (import)' : app ? app : comm === 'nats-server' ? 'nats-server' : comm === 'postgres' ? 'postgresql' : 'other';
    roles.set(role, (roles.get(role) ?? 0) + seconds);
  }
  return roles;
}

/** What each role spent between two cpuByRole readings, largest first, as one line. */
export function cpuLine(before: Map<string, number>, after: Map<string, number>, mails: number): string {
  const spent = [...after].map(([role, s]) => [role, s - (before.get(role) ?? 0)] as const).filter(([, s]) => s > 0.005);
  const chain = spent.filter(([role]) => role !== 'other');
  const total = chain.reduce((n, [, s]) => n + s, 0);
  const other = spent.find(([role]) => role === 'other')?.[1] ?? 0;
  chain.sort((x, y) => y[1] - x[1]);
  return (
    `chain CPU: ${total.toFixed(2)} s, ${((total * 1000) / mails).toFixed(2)} ms per mail (${chain.map(([role, s]) => `${role} ${s.toFixed(2)}`).join(', ')}); ` +
    `other processes ${other.toFixed(2)} s`
  );
}
