// npm run bench:parser -- [DIR] [--seconds N]: throughput of the whole parse (MIME + provider
// parsers) over every mail case of a corpus (INDEX.tsv rows with a primary_email), and of
// mailparser alone with the same options (the "MIME floor"). One process, no worker threads,
// no caching of results: every iteration parses from the raw bytes. No provider hint: the
// provider is detected from the sender as in production. The corpus is anonymised (its senders
// are example.com and the like), so a mail whose sender names no provider gets a From: of its
// provider's own domain first, the sender it came from. After a warm-up, each phase runs for
// N seconds (default 3). The last two lines are exactly
//   parser: <number> mails/s
//   mime floor: <number> mails/s
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { MAILPARSER_OPTIONS, builtInRegistry, loadCorpus, parseMail, type ProviderRegistry } from '@maintwatch/providers';

interface Mail {
  name: string;
  provider: string;
  bytes: Buffer;
}

interface PhaseResult {
  mails: number;
  seconds: number;
  perMailMs: number[];
  /** Total milliseconds per provider type, to point at the parser that costs the most. */
  byProvider: Map<string, { ms: number; mails: number }>;
}

function parseArgs(argv: string[]): { dir: string; seconds: number } {
  let dir: string | undefined;
  let seconds = 3;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seconds') seconds = Number(argv[++i]);
    else if (argv[i].startsWith('--seconds=')) seconds = Number(argv[i].slice('--seconds='.length));
    else dir = argv[i];
  }
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds needs a positive number');
  return { dir: dir ?? process.env.CORPUS_DIR ?? '../shared/corpus/cmp', seconds };
}

/** Runs `once` over the mails round-robin until `seconds` have passed; times every call. */
async function phase(mails: Mail[], seconds: number, once: (mail: Mail) => Promise<unknown>): Promise<PhaseResult> {
  const perMailMs: number[] = [];
  const byProvider = new Map<string, { ms: number; mails: number }>();
  const budget = seconds * 1e9;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  for (let i = 0; elapsed < budget; i++) {
    const mail = mails[i % mails.length];
    const t0 = process.hrtime.bigint();
    await once(mail);
    const t1 = process.hrtime.bigint();
    const ms = Number(t1 - t0) / 1e6;
    perMailMs.push(ms);
    const total = byProvider.get(mail.provider) ?? { ms: 0, mails: 0 };
    total.ms += ms;
    total.mails++;
    byProvider.set(mail.provider, total);
    elapsed = t1 - start;
  }
  return { mails: perMailMs.length, seconds: Number(elapsed) / 1e9, perMailMs, byProvider };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function describe(label: string, r: PhaseResult): string {
  const sorted = [...r.perMailMs].sort((a, b) => a - b);
  return (
    `${label}: ${r.mails} mails in ${r.seconds.toFixed(2)} s, ` +
    `p50 ${percentile(sorted, 50).toFixed(3)} ms, p99 ${percentile(sorted, 99).toFixed(3)} ms, max ${sorted[sorted.length - 1].toFixed(3)} ms per mail`
  );
}

const rate = (r: PhaseResult) => r.mails / r.seconds;

/**
 * The mail as its provider sent it: unchanged when the sender already names the provider,
 * else with its top-level From: (folded lines included) replaced by the provider's first
 * sender address or domain. Undefined when even that does not select the provider.
 */
async function asSentByProvider(registry: ProviderRegistry, provider: string, bytes: Buffer): Promise<{ bytes: Buffer; resent: boolean } | undefined> {
  const detected = async (b: Buffer) => {
    const outcome = await parseMail(b, { registry });
    return outcome.kind !== 'ignored' && outcome.providerType === provider;
  };
  if (await detected(bytes)) return { bytes, resent: false };
  const sender = registry.get(provider)?.senders[0]?.replace(/^@/, '');
  if (!sender) return undefined;
  const address = sender.includes('@') ? sender : `noc@${sender}`;
  const text = bytes.toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  const from = /^From:[^\n]*\n?(?:[ \t][^\n]*\n?)*/im;
  const newHead = from.test(head) ? head.replace(from, `From: ${address}${eol}`).replace(/\r?\n$/, '') : `From: ${address}${eol}${head}`;
  const resent = Buffer.from(newHead + text.slice(head.length), 'latin1');
  return (await detected(resent)) ? { bytes: resent, resent: true } : undefined;
}

async function main(): Promise<number> {
  const { dir, seconds } = parseArgs(process.argv.slice(2));
  if (!existsSync(dir)) {
    console.error(`corpus directory ${dir} not found`);
    return 2;
  }
  const registry = builtInRegistry();
  const cases = loadCorpus(dir, { mailOnly: true }).filter((c) => c.primaryEmail);
  const mails: Mail[] = [];
  let resent = 0;
  for (const c of cases) {
    const mail = await asSentByProvider(registry, c.provider, readFileSync(join(c.dir, c.primaryEmail as string)));
    if (!mail) {
      console.error(`${c.name}: no From: of provider ${c.provider} makes the parser detect it`);
      return 2;
    }
    if (mail.resent) resent++;
    mails.push({ name: c.name, provider: c.provider, bytes: mail.bytes });
  }
  if (mails.length === 0) {
    console.error(`no mail cases (INDEX.tsv rows with a primary_email) in ${dir}`);
    return 2;
  }
  console.log(`${resent} of ${mails.length} anonymised senders replaced by their provider's domain`);
  const parse = (m: Mail) => parseMail(m.bytes, { registry });
  const mime = (m: Mail) => simpleParser(m.bytes, MAILPARSER_OPTIONS);

  const totalBytes = mails.reduce((n, m) => n + m.bytes.length, 0);
  console.log(`${mails.length} mails (${(totalBytes / 1024).toFixed(0)} KiB) from ${dir}; ${seconds} s per phase after warm-up`);

  // Warm-up: JIT, lazy module state (zone tables, parsers' compiled selectors), both paths.
  const kinds: Record<string, number> = {};
  for (const m of mails) {
    const outcome = await parse(m);
    kinds[outcome.kind] = (kinds[outcome.kind] ?? 0) + 1;
    await mime(m);
  }
  console.log(`warm-up outcomes: ${JSON.stringify(kinds)}`);
  await phase(mails, Math.min(1, seconds / 3), parse);
  await phase(mails, Math.min(1, seconds / 3), mime);

  const parser = await phase(mails, seconds, parse);
  const floor = await phase(mails, seconds, mime);
  console.log(describe('parser    ', parser));
  console.log(describe('mime floor', floor));
  const extra = [...parser.byProvider].map(([type, p]) => {
    const f = floor.byProvider.get(type);
    return { type, ms: p.ms / p.mails - (f ? f.ms / f.mails : 0) };
  });
  extra.sort((a, b) => b.ms - a.ms);
  console.log(`parser time over the floor, per mail, top providers: ${extra.slice(0, 6).map((e) => `${e.type} ${e.ms.toFixed(2)} ms`).join(', ')}`);
  console.log(`parser / mime floor time per mail: ${(rate(floor) / rate(parser)).toFixed(2)}x`);
  console.log(`parser: ${rate(parser).toFixed(1)} mails/s`);
  console.log(`mime floor: ${rate(floor).toFixed(1)} mails/s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
