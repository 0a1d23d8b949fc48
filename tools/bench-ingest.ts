// npm run bench:ingest [-- --mails N --backfill N]: two figures of the ingest service, with
// provider-like mails (multipart text + HTML + iCalendar, 10-50 KB each):
//  1. arrival-to-publish latency: the built ingest service reads a Dovecot mailbox by IMAP IDLE;
//     a mail is appended (IMAP APPEND) and timed from the moment APPEND returns to the moment an
//     independent JetStream subscriber receives the notice; one mail at a time, N = 200.
//  2. backfill throughput: a 10,000-mail mbox published by the import's backfill() until
//     JetStream acknowledged every notice (mails/s, from the first byte read to the last ack).
// NATS_URL is used when set, else a private nats-server is started (and removed). The last two
// lines are exactly
//   arrival-to-publish p99: <number> ms
//   backfill: <number> mails/s
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { ImapFlow } from 'imapflow';
import { Bus } from '@maintwatch/messaging';
import { buildApp, startApp, startDovecot, startNats, testNamespace } from '@maintwatch/testing';
import { backfill } from '../apps/ingest/src/backfill/backfill';
import { mailId, noticeMail, NoticeReader, writeSourcesFile } from '../apps/ingest/src/fixtures/ingest.fixture';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} needs a positive whole number`);
  return v;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const sizeKb = (i: number) => 10 + ((i * 37) % 41); // 10..50 KB, spread evenly

async function latency(natsUrl: string, mails: number): Promise<number[]> {
  const dovecot = await startDovecot({ users: [{ user: 'bench', pass: 'bench' }] });
  const ns = testNamespace();
  const reader = await NoticeReader.start(natsUrl, ns);
  buildApp('ingest');
  const file = writeSourcesFile({
    sources: [{ name: 'bench', type: 'imap', host: dovecot.host, port: dovecot.port, security: 'none', user: 'bench', passwordEnv: 'BENCH_PASSWORD' }],
  });
  const app = await startApp('ingest', { NATS_URL: natsUrl, NATS_NAMESPACE: ns, INGEST_SOURCES_FILE: file, BENCH_PASSWORD: 'bench', LOG_LEVEL: 'warn' });
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: 'bench', pass: 'bench' }, logger: false });
  try {
    await client.connect();
    // Wait until the source is up (its first sync done), then warm up with a few mails.
    for (let t = Date.now(); ; ) {
      const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { checks: Record<string, { status: string }> };
      if (ready.checks['source.bench']?.status === 'up') break;
      if (Date.now() - t > 15_000) throw new Error('ingest source did not come up');
      await new Promise((r) => setTimeout(r, 50));
    }
    const samples: number[] = [];
    const warmup = 10;
    for (let i = 0; i < warmup + mails; i++) {
      const id = mailId(`lat${i}`);
      const raw = noticeMail(id, { kb: sizeKb(i) });
      await client.append('INBOX', raw);
      const appended = performance.now();
      const expected = i + 1;
      while (reader.notices.length < expected) {
        if (performance.now() - appended > 10_000) throw new Error(`notice ${id} not received within 10 s`);
        await new Promise((r) => setImmediate(r));
      }
      const got = reader.notices[expected - 1];
      if (got.noticeId !== `bench:${id}@maint.example.net`) throw new Error(`unexpected notice ${got.noticeId}`);
      if (i >= warmup) samples.push(got.at - appended);
    }
    return samples;
  } finally {
    await client.logout().catch(() => client.close());
    await app.stop();
    await reader.stop();
    await dovecot.stop();
  }
}

async function backfillThroughput(natsUrl: string, mails: number): Promise<{ seconds: number; bytes: number; published: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'maintwatch-bench-ingest-'));
  const path = join(dir, 'bench.mbox');
  let bytes = 0;
  const out = createWriteStream(path);
  for (let i = 0; i < mails; i++) {
    const raw = noticeMail(mailId(`bf${i}`), { kb: sizeKb(i) });
    bytes += raw.length;
    const chunk = `From noc@maint.example.net Sat Nov 21 10:00:00 2026\n${raw.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1')}\n`;
    if (!out.write(chunk, 'latin1')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const ns = testNamespace();
  const bus = await Bus.connect({ servers: natsUrl, name: 'bench-ingest', namespace: ns });
  try {
    await bus.provision();
    const started = performance.now();
    const report = await backfill(bus, { path, source: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    if (report.published !== mails) throw new Error(`backfill published ${report.published} of ${mails}`);
    const jsm = await bus.jsm();
    const stored = (await jsm.streams.info(bus.ns.stream('NOTICES'))).state.messages;
    if (stored !== mails) throw new Error(`stream holds ${stored} notices, expected ${mails}`);
    // The benchmark's streams go; the next run starts clean.
    for (const s of ['NOTICES', 'MAINTENANCE', 'DEVICE', 'DEADLETTER'] as const) await jsm.streams.delete(bus.ns.stream(s)).catch(() => undefined);
    return { seconds, bytes, published: report.published };
  } finally {
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const latencyMails = arg('mails', 200);
  const backfillMails = arg('backfill', 10_000);
  const nats = await startNats();
  try {
    const samples = (await latency(nats.url, latencyMails)).sort((a, b) => a - b);
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    console.log(`arrival-to-publish over ${samples.length} mails (10-50 KB, IMAP APPEND -> JetStream subscriber): p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${samples[samples.length - 1].toFixed(1)} ms`);
    const bf = await backfillThroughput(nats.url, backfillMails);
    console.log(`backfill of ${bf.published} mails (${(bf.bytes / 1024 / 1024).toFixed(0)} MB mbox) acknowledged in ${bf.seconds.toFixed(2)} s (${(bf.bytes / 1024 / 1024 / bf.seconds).toFixed(1)} MB/s)`);
    console.log(`arrival-to-publish p99: ${p99.toFixed(1)} ms`);
    console.log(`backfill: ${Math.round(bf.published / bf.seconds)} mails/s`);
  } finally {
    await nats.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:ingest failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
