// The load generator of `npm run bench:api`'s list part (tools/bench-api-query.ts starts it):
// GET /api/v1/maintenances at a fixed rate, open loop, and each latency from its scheduled time.
//
// Why a process of its own, in plain JavaScript: the generator shares the machine's two cores
// with the service and PostgreSQL, and what it does besides sending and timing requests is
// counted as the service's latency. Inside the bench's tsx process (its module loader, the
// data loader's leftovers) its collections paused it up to 16 ms with four helper threads on
// the other core (measured with perf sched), and every response finishing during a pause was
// timed late. Here the heap holds little more than the requests in flight, and the bench runs
// it with --single-threaded-gc, so a collection is short and never takes the other core.
// Plain node:http on kept-alive connections rather than fetch: fetch cost 1.6-1.8 ms of CPU a
// request against 1.0 ms (measured), time taken from what is measured.
//
// Input: one JSON argument { base, rate, seconds, warmupSeconds, now, parseEvery }; the token
// from the environment (BENCH_TOKEN), never the command line. Output: one JSON line on stdout.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const DAY = 86_400;
const config = JSON.parse(process.argv[2] ?? '{}');
const token = process.env.BENCH_TOKEN;
if (!token || !config.base || !(config.rate > 0) || !(config.seconds > 0)) {
  console.error('usage: BENCH_TOKEN=<token> node bench-api-list-load.mjs \'{"base":"http://127.0.0.1:PORT","rate":200,"seconds":30,"now":<epoch s>}\'');
  process.exit(2);
}

/**
 * One GET on a kept-alive connection: status and byte count, and the body only when `keep`
 * (or when the status is not 200, to report it): every page is 55 kB, and holding and parsing
 * each was most of the generator's garbage.
 * @returns {Promise<{ status: number, bytes: number, body?: Buffer }>}
 */
function get(agent, url, headers, keep) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks = [];
      let bytes = 0;
      res.on('data', (c) => {
        bytes += c.length;
        if (keep || res.statusCode !== 200) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `rate` requests a second for `seconds`: a week's window somewhere in the year around `now`,
 * CONFIRMED ones, the first page of 50. Every status and length is checked; every
 * `parseEvery`-th body is parsed and its items counted.
 */
async function fixedRate(seconds) {
  const { base, rate, now, parseEvery = 10 } = config;
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  const interval = 1000 / rate;
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const headers = { authorization: `Bearer ${token}` };
  const result = { errors: 0, firstError: undefined, parsed: 0, items: 0 };
  const failed = (what) => {
    if (result.errors++ === 0) result.firstError = what;
  };
  let pending = 0;
  let drained = () => undefined;
  const done = () => {
    if (--pending === 0) drained();
  };
  const start = performance.now() + 50;
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const from = now - 170 * DAY + ((i * 104_729) % (340 * DAY));
    const keep = i % parseEvery === 0;
    pending++;
    get(agent, new URL(`/api/v1/maintenances?status=CONFIRMED&from=${from}&to=${from + 7 * DAY}&limit=50`, base), headers, keep)
      .then(({ status, bytes, body }) => {
        latencies[i] = performance.now() - due;
        if (status !== 200) return failed(`${status} ${body?.toString('utf8').slice(0, 300) ?? ''}`);
        if (bytes === 0) return failed('200 with an empty body');
        if (!body) return;
        try {
          result.items += JSON.parse(body.toString('utf8')).items?.length ?? 0;
          result.parsed++;
        } catch (err) {
          failed(`200 with a body that is not JSON: ${err.message}`);
        }
      })
      .catch((err) => {
        latencies[i] = performance.now() - due;
        failed(err?.message ?? String(err));
      })
      .finally(done);
  }
  if (pending > 0) await new Promise((resolve) => (drained = resolve));
  agent.destroy();
  return { ...result, startEpochMs: performance.timeOrigin + start, intervalMs: interval, latencies: Array.from(latencies, (l) => Math.round(l * 1000) / 1000) };
}

if (config.warmupSeconds > 0) await fixedRate(config.warmupSeconds);
process.stdout.write(`${JSON.stringify(await fixedRate(config.seconds))}\n`);
