// npm run bench:parser-service [-- --mails N --workers W]: the parser as a service, alone: the
// built process (worker pool, JetStream consumer, publishing) on NATS (NATS_URL, else a private
// nats-server), fed the same provider-format mails as bench:e2e (default 2,000), imported the way
// `npm run import` does while the parser consumes them. No other service runs, so the figures
// are the parser's own: mails/s until its consumer has nothing pending or unacknowledged, and
// the CPU seconds of its process, per thread, over that time. bench:parser measures a parse in
// one warm thread; this measures what a replica costs per notice on top (the main thread's
// JetStream work, each worker isolate compiling the parsers again, V8's helper threads).
// --workers sets PARSER_WORKERS (default: the parser's own default).
// The last two lines are exactly
//   parser service: <number> mails/s
//   parser service CPU: <number> ms per mail
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bus } from '@maintwatch/messaging';
import { buildApp, ownNats, startApp, testNamespace, until } from '@maintwatch/testing';
import { backfill } from '../apps/ingest/src/backfill/backfill';
import { arg, copy, mbox, runBenchmark, statCpu, templates } from './e2e-chain';

/** CPU seconds of each thread of `pid` (/proc/<pid>/task/<tid>/stat), by thread id. */
function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(Number(tid), statCpu(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')).seconds);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

async function main(): Promise<void> {
  const mails = arg('mails', 2000);
  const workers = process.argv.includes('--workers') ? arg('workers', 1) : undefined;
  const nats = process.env['NATS_URL'] ? { url: process.env['NATS_URL'], stop: async () => undefined } : await ownNats();
  const dir = mkdtempSync(join(tmpdir(), 'bench-parser-service-'));
  const ns = testNamespace();
  let bus: Bus | undefined;
  let parser: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    buildApp('parser');
    parser = await startApp('parser', { NATS_URL: nats.url, NATS_NAMESPACE: ns, LOG_LEVEL: 'warn', ...(workers ? { PARSER_WORKERS: String(workers) } : {}) }, 60_000);
    const url = parser.url;
    await until(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 120_000, 'the parser ready');
    const pid = parser.child.pid;
    if (pid === undefined) throw new Error('the parser has no pid');
    const b = await Bus.connect({ servers: nats.url, name: 'bench-parser-service', namespace: ns });
    bus = b;
    const ts = templates();
    const file = join(dir, 'backfill.mbox');
    writeFileSync(file, mbox(Array.from({ length: mails }, (_, i) => copy(ts[i % ts.length], i))));
    const jsm = await b.jsm();
    const before = threadCpu(pid);
    const started = performance.now();
    const report = await backfill(b, { path: file, source: 'bench' });
    const published = performance.now();
    await until(
      async () => {
        for (const c of await jsm.consumers.list(b.ns.stream('NOTICES')).next()) {
          if (c.name.includes('parser') && (c.num_pending > 0 || c.num_ack_pending > 0)) return false;
        }
        return true;
      },
      600_000,
      'the parser consumer drained',
    );
    const done = performance.now();
    const after = threadCpu(pid);
    const spent = [...after].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)] as const).filter(([, s]) => s >= 0.01);
    const main = spent.find(([tid]) => tid === pid)?.[1] ?? 0;
    const total = spent.reduce((n, [, s]) => n + s, 0);
    const others = spent.filter(([tid]) => tid !== pid).sort((a, b) => b[1] - a[1]);
    console.log(`${report.published} notices published in ${((published - started) / 1000).toFixed(2)} s, all parsed and acknowledged after ${((done - started) / 1000).toFixed(2)} s`);
    // Thread names do not tell a parse worker from V8's helpers (all are "node"): the busiest
    // other threads are the workers, the rest mostly V8's compiler and GC helpers.
    console.log(`CPU: ${total.toFixed(2)} s; main thread ${main.toFixed(2)} s; other threads, busiest first: ${others.map(([, s]) => s.toFixed(2)).join(', ')}`);
    console.log(`parser service: ${(report.published / ((done - started) / 1000)).toFixed(1)} mails/s`);
    console.log(`parser service CPU: ${((total * 1000) / report.published).toFixed(2)} ms per mail`);
  } finally {
    await bus?.close().catch(() => undefined);
    await parser?.stop();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
