// npm run bench:e2e [-- --mails N --latency M]: the whole chain as `npm start` runs it, every
// service a built process on one NATS and one PostgreSQL (own servers unless NATS_URL /
// DATABASE_URL are set; PostgreSQL with fsync on), notifications to a fake Slack.
//  1. backfill: an mbox of N provider-format mails (default 2,000: every built-in provider's
//     project fixtures, each copy with its own Message-ID and, where the notice's id has a digit
//     run, its own maintenance id, senders of the providers' real domains) is imported the way
//     `npm run import` does; timed from the import's first byte until every notice is stored
//     and accounted (parsed, unparsed or ignored rows in PostgreSQL) and the notifier has
//     nothing pending on its consumers (every resulting event posted to Slack or filtered).
//  2. mail to Slack: M mails (default 200) appended to a Dovecot mailbox by IMAP APPEND one at a
//     time, each a BCOP notice with a future window; timed from APPEND's return to the fake
//     Slack's receipt of the message naming its ticket.
// The last two lines are exactly
//   e2e backfill: <number> mails/s
//   mail to slack p99: <number> ms
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import yaml from 'js-yaml';
import { Client } from 'pg';
import { Bus } from '@maintwatch/messaging';
import { buildApp, ownNats, ownPostgres, startApp, startDovecot, startFakeSlack, testDatabase, testNamespace, until, type AppName, type AppProcess } from '@maintwatch/testing';
import { backfill } from '../apps/ingest/src/backfill/backfill';
import { NOTIFY_TYPES } from '../apps/notifier/src/rendering/notification';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive whole number`);
  return v;
}

const root = join(__dirname, '..');
const fixtures = join(root, 'libs/providers/fixtures');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface Template {
  provider: string;
  raw: string;
  ids: string[];
}

/** Every provider fixture with the maintenance ids its expected result names. */
function templates(): Template[] {
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
function copy(t: Template, n: number): string {
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

function mbox(mails: string[]): string {
  // mboxrd: "From " lines in bodies are quoted.
  return mails.map((m) => `From bench@bench.invalid Mon Dec  7 00:00:00 2026\n${m.replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1')}\n`).join('\n');
}

const stamp = (t: number) => new Date(t * 1000).toISOString().replace(/[-:]|\.\d{3}/g, '');
function latencyMail(ticket: string): string {
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

async function main(): Promise<void> {
  const mails = arg('mails', 2000);
  const latencyMails = arg('latency', 200);
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  const [nats, pg, dovecot, slack] = await Promise.all([
    process.env['NATS_URL'] ? Promise.resolve({ url: process.env['NATS_URL'], stop: async () => undefined }) : ownNats(),
    process.env['DATABASE_URL'] ? Promise.resolve({ url: process.env['DATABASE_URL'], stop: async () => undefined }) : ownPostgres({ durable: true }),
    startDovecot({ users: [{ user: 'noc', pass: 'noc-secret' }] }),
    startFakeSlack({ channels: ['C_BENCH'] }),
  ]);
  const db = await testDatabase(pg.url);
  const ns = testNamespace();
  const apps: AppProcess[] = [];
  const pgc = new Client({ connectionString: db.url });
  try {
    for (const app of ['ingest', 'parser', 'maintenance-api', 'notifier'] as const) buildApp(app);
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [{ name: 'noc', type: 'imap', host: dovecot.host, port: dovecot.port, security: 'none', user: 'noc', passwordEnv: 'IMAP_NOC_PASSWORD' }] }));
    const routes = join(dir, 'routes.yaml');
    // Slack's real limit is about one message per second per channel; the fake has none, and the
    // bench measures the chain, not Slack's limit.
    writeFileSync(routes, yaml.dump({ destinations: { slack: { type: 'slack-webhook', urlEnv: 'BENCH_SLACK_URL', rateLimit: { perSecond: 1000, burst: 1000 } } }, routes: [{ name: 'all', events: [...NOTIFY_TYPES], destinations: ['slack'] }] }));
    const base = { NATS_URL: nats.url, NATS_NAMESPACE: ns, LOG_LEVEL: 'warn' };
    const env: Record<Exclude<AppName, 'junos-gateway'>, Record<string, string>> = {
      'maintenance-api': { ...base, DATABASE_URL: db.url },
      parser: base,
      notifier: { ...base, NOTIFIER_ROUTES_FILE: routes, BENCH_SLACK_URL: slack.webhookUrl('C_BENCH') },
      ingest: { ...base, INGEST_SOURCES_FILE: sources, IMAP_NOC_PASSWORD: 'noc-secret' },
    };
    for (const app of ['maintenance-api', 'parser', 'notifier', 'ingest'] as const) {
      const p = await startApp(app, env[app], 60_000);
      apps.push(p);
      await until(async () => (await fetch(`${p.url}/readyz`)).status === 200, 60_000, `${app} ready`);
    }
    await pgc.connect();
    const bus = await Bus.connect({ servers: nats.url, name: 'bench-e2e', namespace: ns });
    const jsm = await bus.jsm();

    // 1. Backfill.
    const ts = templates();
    const file = join(dir, 'backfill.mbox');
    writeFileSync(file, mbox(Array.from({ length: mails }, (_, i) => copy(ts[i % ts.length], i))));
    console.log(`backfill: ${mails} mails from ${ts.length} fixtures of ${new Set(ts.map((t) => t.provider)).size} providers`);
    const accounted = async () => {
      const { rows } = await pgc.query<{ stored: string; accounted: string }>(
        `SELECT count(*) AS stored,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM parsed_record p WHERE p.notice_id = r.notice_id)
             OR EXISTS (SELECT 1 FROM unparsed_record u WHERE u.notice_id = r.notice_id)
             OR EXISTS (SELECT 1 FROM ignored_record g WHERE g.notice_id = r.notice_id)) AS accounted
         FROM raw_notice r WHERE r.source = 'bench'`,
      );
      return { stored: Number(rows[0].stored), accounted: Number(rows[0].accounted) };
    };
    const notifierIdle = async () => {
      const { rows } = await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`);
      if (Number(rows[0].n) > 0) return false;
      for (const c of await jsm.consumers.list(bus.ns.stream('MAINTENANCE')).next()) {
        if (!c.name.includes('notifier')) continue;
        if (c.num_pending > 0 || c.num_ack_pending > 0) return false;
      }
      for (const c of await jsm.consumers.list(bus.ns.stream('NOTICES')).next()) {
        if (!c.name.includes('notifier')) continue;
        if (c.num_pending > 0 || c.num_ack_pending > 0) return false;
      }
      return true;
    };
    const before = slack.messages('C_BENCH').length;
    const started = performance.now();
    const report = await backfill(bus, { path: file, source: 'bench' });
    const published = performance.now();
    await until(async () => (await accounted()).accounted >= report.published, 600_000, 'every notice accounted');
    const storedAt = performance.now();
    await until(notifierIdle, 600_000, 'the notifier idle');
    const done = performance.now();
    const a = await accounted();
    const { rows: outcome } = await pgc.query<{ parsed: string; unparsed: string; ignored: string; maintenances: string; events: string }>(
      `SELECT (SELECT count(DISTINCT notice_id) FROM parsed_record) AS parsed, (SELECT count(*) FROM unparsed_record) AS unparsed,
         (SELECT count(*) FROM ignored_record) AS ignored, (SELECT count(*) FROM maintenance) AS maintenances, (SELECT count(*) FROM outbox) AS events`,
    );
    const posts = slack.messages('C_BENCH').length - before;
    console.log(`published ${report.published} notices in ${((published - started) / 1000).toFixed(2)} s; all stored and accounted after ${((storedAt - started) / 1000).toFixed(2)} s; notifier idle after ${((done - started) / 1000).toFixed(2)} s`);
    console.log(`stored ${a.stored}, accounted ${a.accounted} (parsed ${outcome[0].parsed}, unparsed ${outcome[0].unparsed}, ignored ${outcome[0].ignored}); ${outcome[0].maintenances} maintenances, ${outcome[0].events} lifecycle events, ${posts} Slack posts`);
    if (a.accounted !== report.published) throw new Error(`${report.published - a.accounted} notices not accounted`);
    const backfillRate = report.published / ((done - started) / 1000);

    // 2. Mail to Slack.
    const samples: number[] = [];
    const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: 'noc', pass: 'noc-secret' }, logger: false });
    await imap.connect();
    try {
      for (let i = 0; i < latencyMails + 5; i++) {
        const ticket = `VNOC-9-${String(i).padStart(6, '0')}-${process.pid}`;
        const n = slack.messages('C_BENCH').length;
        await imap.append('INBOX', latencyMail(ticket));
        const appended = Date.now();
        for (;;) {
          const m = slack.messages('C_BENCH').slice(n).find((x) => JSON.stringify(x).includes(ticket));
          if (m) {
            if (i >= 5) samples.push(Math.max(0, m.receivedAt - appended)); // the first five warm up
            break;
          }
          if (Date.now() - appended > 30_000) throw new Error(`no Slack message for ${ticket} within 30 s`);
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    } finally {
      await imap.logout().catch(() => undefined);
    }
    samples.sort((x, y) => x - y);
    console.log(`mail to slack over ${samples.length} mails: p50 ${percentile(samples, 50).toFixed(0)} ms, p90 ${percentile(samples, 90).toFixed(0)} ms, max ${samples[samples.length - 1].toFixed(0)} ms`);
    await bus.close();
    console.log(`e2e backfill: ${backfillRate.toFixed(1)} mails/s`);
    console.log(`mail to slack p99: ${percentile(samples, 99).toFixed(0)} ms`);
  } finally {
    await pgc.end().catch(() => undefined);
    await Promise.all(apps.map((p) => p.stop()));
    await slack.close();
    await dovecot.stop();
    await db.drop().catch(() => undefined);
    await pg.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
