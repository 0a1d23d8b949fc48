// Fuzz test of parseMail: the project's own fixture mails, mutated thousands of times by a
// seeded PRNG (truncation, byte flips, header damage, nested multiparts, huge lines, splices).
// Every input must end as `parsed` with valid maintenances, `unparsed` with reasons, or
// `ignored` with a reason; no exception may escape parseMail.
// Reproduce a run: FUZZ_SEED=<seed> FUZZ_ITERATIONS=<n> npx jest libs/providers/src/fuzz.spec.ts
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '@maintwatch/testing';
import { builtInRegistry, parseMail } from './index';
import { outcomeProblem } from './testing/spec-helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2024);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 3000);
/** How many of the slowest inputs the summary lists (the first place to look when the run gets slow). */
const SLOWEST = 8;
/** An input slower than this is saved for whoever profiles the parser that choked on it. */
const SAVE_SLOWER_THAN_MS = 2000;

interface Sample {
  type: string;
  file: string;
  bytes: Buffer;
}

function loadSamples(): Sample[] {
  const root = join(__dirname, '..', 'fixtures');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((type) =>
    readdirSync(join(root, type))
      .filter((f) => f.endsWith('.eml'))
      .map((file) => ({ type, file, bytes: readFileSync(join(root, type, file)) })),
  );
}

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);
const pick = <T>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)];

/** End of the header block (first blank line), or the whole buffer. */
function headerEnd(b: Buffer): number {
  const crlf = b.indexOf('\r\n\r\n');
  const lf = b.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length ? Math.min(...ends) : b.length;
}

const HEADER_DAMAGE: readonly ((h: string, rand: Rand) => string)[] = [
  (h) => h.replace(/^Content-Type:[^\n]*\n/im, ''),
  (h) => h.replace(/boundary="?[^";\r\n]*"?/i, 'boundary='),
  (h) => h.replace(/boundary="?([^";\r\n]*)"?/i, 'boundary="$1-other"'),
  (h) => h.replace(/^From:[^\n]*/im, 'From: =?utf-8?B?###?= <not an address'),
  (h) => h.replace(/^Date:[^\n]*/im, 'Date: 31 Feb 99999 25:61:61 +9999'),
  (h) => h.replace(/^Subject:[^\n]*/im, 'Subject: =?x-unknown?Q?=FF=FE?= =?utf-8?B?!!!?='),
  (h) => h.replace(/charset="?[\w-]+"?/gi, 'charset=x-no-such-charset'),
  (h) => h.replace(/\r?\n/g, (m, i: number) => (i % 3 === 0 ? m + ' ' : m)),
  (h) => h.replace(/:/g, ''),
  (h, rand) => h + `X-Long: ${'a'.repeat(1000 + int(rand, 200_000))}\r\n`,
  (h) => h.replace(/Content-Transfer-Encoding:[^\n]*/gi, 'Content-Transfer-Encoding: base64'),
  (h) => h.replace(/multipart\/\w+/gi, 'multipart/x-unknown'),
];

const HUGE_CHARS = [' ', '<', '>', '-', '=', 'A', '\n', '>\n', '-- ', '<p>', '&#'];
const NESTING_TYPES = ['multipart/mixed', 'multipart/alternative', 'multipart/related', 'message/rfc822'];

/** One mutation; returns the new bytes and its name (for the failure report). */
function mutate(rand: Rand, input: Buffer, samples: Sample[]): [Buffer, string] {
  const b = Buffer.from(input);
  switch (int(rand, 9)) {
    case 0:
      return [b.subarray(0, int(rand, b.length)), 'truncate'];
    case 1: {
      const flips = 1 + int(rand, 64);
      for (let i = 0; i < flips; i++) b[int(rand, b.length)] = int(rand, 256);
      return [b, `flip ${flips} bytes`];
    }
    case 2: {
      const end = headerEnd(b);
      const damage = int(rand, HEADER_DAMAGE.length);
      const head = HEADER_DAMAGE[damage](b.subarray(0, end).toString('latin1'), rand);
      return [Buffer.concat([Buffer.from(head, 'latin1'), b.subarray(end)]), `header damage ${damage}`];
    }
    case 3: {
      // The mail wrapped in nested multiparts / attached messages, some levels unterminated.
      const depth = 1 + int(rand, 40);
      let inner = b;
      for (let level = 0; level < depth; level++) {
        const type = pick(rand, NESTING_TYPES);
        if (type === 'message/rfc822') {
          inner = Buffer.concat([Buffer.from(`From: fwd${level}@example.net\r\nSubject: Fwd\r\nContent-Type: message/rfc822\r\n\r\n`), inner]);
        } else {
          const boundary = rand() < 0.2 ? 'same' : `b${level}`;
          const close = rand() < 0.8 ? `\r\n--${boundary}--\r\n` : '';
          inner = Buffer.concat([
            Buffer.from(`From: fwd${level}@example.net\r\nContent-Type: ${type}; boundary="${boundary}"\r\n\r\n--${boundary}\r\n`),
            inner,
            Buffer.from(close),
          ]);
        }
      }
      return [inner, `nest ${depth}`];
    }
    case 4: {
      const char = pick(rand, HUGE_CHARS);
      const size = 10_000 + int(rand, char.includes('\n') ? 100_000 : 400_000);
      const at = int(rand, b.length);
      return [Buffer.concat([b.subarray(0, at), Buffer.from(char.repeat(Math.ceil(size / char.length))), b.subarray(at)]), `huge line "${char}"`];
    }
    case 5: {
      const other = pick(rand, samples).bytes;
      return [Buffer.concat([b.subarray(0, int(rand, b.length)), other.subarray(int(rand, other.length))]), 'splice'];
    }
    case 6: {
      const at = int(rand, b.length);
      return [Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(rand, 2000)))]), 'delete range'];
    }
    case 7: {
      const at = int(rand, b.length);
      const chunk = b.subarray(at, at + 1 + int(rand, 4000));
      const copies = 1 + int(rand, 50);
      return [Buffer.concat([b.subarray(0, at), ...Array(copies).fill(chunk), b.subarray(at)]), `duplicate range x${copies}`];
    }
    default: {
      // Line endings and blank lines: CRLF <-> LF, lost blank lines, bare CR.
      const s = b.toString('latin1');
      const variant = int(rand, 3);
      const out = variant === 0 ? s.replace(/\r\n/g, '\n') : variant === 1 ? s.replace(/\r?\n\r?\n/g, '\n') : s.replace(/\r?\n/g, '\r');
      return [Buffer.from(out, 'latin1'), `line endings ${variant}`];
    }
  }
}

describe('parseMail fuzz', () => {
  const samples = loadSamples();

  it(`${ITERATIONS} mutated fixture mails each end typed (seed ${SEED})`, async () => {
    expect(samples.length).toBeGreaterThan(0);
    const registry = builtInRegistry();
    const rand = prng(SEED);
    const counts = { parsed: 0, unparsed: 0, ignored: 0 };
    const failures: string[] = [];
    const started = Date.now();
    const slowest: [number, string][] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const sample = pick(rand, samples);
      let bytes = sample.bytes;
      const applied: string[] = [];
      const rounds = 1 + int(rand, 3);
      for (let r = 0; r < rounds; r++) {
        const [next, name] = mutate(rand, bytes, samples);
        bytes = next;
        applied.push(name);
      }
      const hint = rand() < 0.5 ? sample.type : undefined;
      const label = `#${i} ${sample.type}/${sample.file} [${applied.join(', ')}]${hint ? ` hint=${hint}` : ''}`;
      const t0 = performance.now();
      try {
        const outcome = await parseMail(bytes, { registry, providerHint: hint });
        const ms = performance.now() - t0;
        let note = `${label} ${bytes.length} B -> ${outcome.kind}`;
        if (ms > SAVE_SLOWER_THAN_MS) {
          const file = join(tmpdir(), `fuzz-${SEED}-${i}-slow.eml`);
          writeFileSync(file, bytes);
          note += ` (input saved to ${file})`;
        }
        slowest.push([ms, note]);
        slowest.sort((a, b) => b[0] - a[0]).splice(SLOWEST);
        counts[outcome.kind]++;
        const bad = outcomeProblem(outcome);
        if (bad) failures.push(`${label}: ${bad}`);
      } catch (err) {
        const file = join(tmpdir(), `fuzz-${SEED}-${i}.eml`);
        writeFileSync(file, bytes);
        failures.push(`${label}: threw ${err instanceof Error ? err.stack : String(err)} (input saved to ${file})`);
      }
    }
    console.info(
      `fuzz: ${ITERATIONS} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}: ${JSON.stringify(counts)}\n` +
        `slowest:\n${slowest.map(([ms, what]) => `  ${ms.toFixed(0)} ms ${what}`).join('\n')}`,
    );
    expect(failures).toEqual([]);
  }, 180_000);
});
