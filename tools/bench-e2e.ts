// npm run bench:e2e [-- --mails N --latency M --parser-workers W]: the whole chain as `npm start` runs it, every
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
// Over the backfill it also prints the CPU seconds each process spent (services with their
// threads, nats-server, PostgreSQL, the import, everything else): where the chain's time goes;
// and PostgreSQL's commits and row counts per mail (pg_stat_database). --parser-workers sets
// PARSER_WORKERS (default: the parser's own default).
// The last two lines are exactly
//   e2e backfill: <number> mails/s
//   mail to slack p99: <number> ms
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { ownNats, ownPostgres, until } from '@maintwatch/testing';
import { backfill } from '../apps/ingest/src/backfill/backfill';
import { arg, chainPosts, copy, cpuByRole, cpuLine, latencyMail, mbox, percentile, runBenchmark, startChain, templates, type Chain } from './e2e-chain';

interface PgActivity {
  commits: number;
  inserted: number;
  updated: number;
  deleted: number;
  returned: number;
}

/** The chain database's counters (pg_stat_database; a backend reports its own within a second or so). */
async function pgActivity(c: Chain): Promise<PgActivity> {
  await c.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
  const [r] = await c.query<Record<string, string>>(
    'SELECT xact_commit, tup_inserted, tup_updated, tup_deleted, tup_returned FROM pg_stat_database WHERE datname = current_database()',
  );
  return { commits: Number(r.xact_commit), inserted: Number(r.tup_inserted), updated: Number(r.tup_updated), deleted: Number(r.tup_deleted), returned: Number(r.tup_returned) };
}

async function main(): Promise<void> {
  const mails = arg('mails', 2000);
  const latencyMails = arg('latency', 200);
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  const [nats, pg] = await Promise.all([
    process.env['NATS_URL'] ? Promise.resolve({ url: process.env['NATS_URL'], stop: async () => undefined }) : ownNats(),
    process.env['DATABASE_URL'] ? Promise.resolve({ url: process.env['DATABASE_URL'], stop: async () => undefined }) : ownPostgres({ durable: true }),
  ]);
  let chain: Chain | undefined;
  try {
    const parserWorkers = process.argv.includes('--parser-workers') ? arg('parser-workers', 1) : undefined;
    chain = await startChain(nats.url, pg.url, { parserWorkers });
    const c = chain;

    // 1. Backfill.
    const ts = templates();
    const file = join(dir, 'backfill.mbox');
    writeFileSync(file, mbox(Array.from({ length: mails }, (_, i) => copy(ts[i % ts.length], i))));
    console.log(`backfill: ${mails} mails from ${ts.length} fixtures of ${new Set(ts.map((t) => t.provider)).size} providers`);
    const before = chainPosts(c).length;
    const cpuBefore = cpuByRole();
    const pgBefore = await pgActivity(c);
    const started = performance.now();
    // Where the time goes: when the raw notices are all stored (ingest + maintenance-api's raw
    // intake) and when they are all accounted (parser + apply).
    let rawAt = 0;
    const rawStored = until(() => c.storedAtLeast('bench', mails), 600_000, 'every raw notice stored').then(() => (rawAt = performance.now()));
    const report = await backfill(c.bus, { path: file, source: 'bench' });
    const published = performance.now();
    await until(() => c.accountedAtLeast('bench', report.published), 600_000, 'every notice accounted');
    const storedAt = performance.now();
    await rawStored;
    await until(() => c.notifierIdle(), 600_000, 'the notifier idle');
    const done = performance.now();
    const cpuAfter = cpuByRole();
    const pgAfter = await pgActivity(c);
    const a = await c.accounted('bench');
    const [outcome] = await c.query<{ parsed: string; unparsed: string; ignored: string; maintenances: string; events: string }>(
      `SELECT (SELECT count(DISTINCT notice_id) FROM parsed_record) AS parsed, (SELECT count(*) FROM unparsed_record) AS unparsed,
         (SELECT count(*) FROM ignored_record) AS ignored, (SELECT count(*) FROM maintenance) AS maintenances, (SELECT count(*) FROM outbox) AS events`,
    );
    const posts = chainPosts(c).length - before;
    console.log(`published ${report.published} notices in ${((published - started) / 1000).toFixed(2)} s; raw notices all stored after ${((rawAt - started) / 1000).toFixed(2)} s; all accounted after ${((storedAt - started) / 1000).toFixed(2)} s; notifier idle after ${((done - started) / 1000).toFixed(2)} s`);
    console.log(`stored ${a.stored}, accounted ${a.accounted} (parsed ${outcome.parsed}, unparsed ${outcome.unparsed}, ignored ${outcome.ignored}); ${outcome.maintenances} maintenances, ${outcome.events} lifecycle events, ${posts} Slack posts`);
    console.log(cpuLine(cpuBefore, cpuAfter, report.published));
    const per = (k: keyof PgActivity) => ((pgAfter[k] - pgBefore[k]) / report.published).toFixed(1);
    console.log(`PostgreSQL per mail: ${per('commits')} commits, ${per('inserted')} rows inserted, ${per('updated')} updated, ${per('deleted')} deleted, ${per('returned')} returned by scans (the benchmark's own polling included)`);
    if (a.accounted !== report.published) throw new Error(`${report.published - a.accounted} notices not accounted`);
    const backfillRate = report.published / ((done - started) / 1000);

    // 2. Mail to Slack.
    const samples: number[] = [];
    const imap = new ImapFlow({ host: c.dovecot.host, port: c.dovecot.port, secure: false, auth: { user: 'noc', pass: 'noc-secret' }, logger: false });
    await imap.connect();
    try {
      for (let i = 0; i < latencyMails + 5; i++) {
        const ticket = `VNOC-9-${String(i).padStart(6, '0')}-${process.pid}`;
        const n = chainPosts(c).length;
        await imap.append('INBOX', latencyMail(ticket));
        const appended = Date.now();
        for (;;) {
          const m = chainPosts(c).slice(n).find((x) => JSON.stringify(x).includes(ticket));
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
    console.log(`e2e backfill: ${backfillRate.toFixed(1)} mails/s`);
    console.log(`mail to slack p99: ${percentile(samples, 99).toFixed(0)} ms`);
  } finally {
    await chain?.close();
    await pg.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
