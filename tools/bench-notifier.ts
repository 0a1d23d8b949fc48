// npm run bench:notifier [-- --seconds N --rate R --per-second P --events E --throughput-per-second T]
//
// Drives lifecycle events through the running notifier (the built service as its own process,
// on a real NATS) to a local webhook receiver, with the per-destination rate limiter on:
//  1. latency: events at R/s (default 10) for N seconds (default 20) to one webhook destination
//     whose limit (P/s, default 20, the webhook default) is above that rate; event-to-post is
//     measured from just before the publish to the receiver getting the request.
//  2. throughput: E events (default 600), each routed to 20 webhook destinations limited to T/s
//     each (default 100: above what one process sustains, so the figure is the notifier's, not
//     the limiter's); sustained deliveries per second between the 10th and the 90th percentile
//     of arrival times (the full buckets' first burst and the tail left out), and a check that
//     every (event, destination) arrived exactly once.
// NATS: NATS_URL if set (a namespace of its own is used), else a private nats-server.
// The last two lines are exactly
//   event-to-post p99: <number> ms
//   deliveries: <number> /s
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { LIFECYCLE_TYPES, SUBJECTS, lifecycleEventId, type LifecycleEvent } from '@maintwatch/contracts';
import { Bus } from '@maintwatch/messaging';
import { buildApp, ownNats, startApp, startFakeWebhook, testNamespace, until, type AppProcess, type NatsServerHandle } from '@maintwatch/testing';

interface Args {
  seconds: number;
  rate: number;
  events: number;
  perSecond: number;
  throughputPerSecond: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 20, rate: 10, events: 600, perSecond: 20, throughputPerSecond: 100 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = Number(inline ?? argv[++i]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    if (flag === '--seconds') a.seconds = value;
    else if (flag === '--rate') a.rate = value;
    else if (flag === '--events') a.events = Math.round(value);
    else if (flag === '--per-second') a.perSecond = value;
    else if (flag === '--throughput-per-second') a.throughputPerSecond = value;
    else throw new Error(`unknown option ${flag}`);
  }
  return a;
}

const DESTINATIONS = 20;

function event(i: number, providerType: string): LifecycleEvent {
  const maintenanceId = `BENCH-${i}`;
  const start = 1_893_456_000 + i * 3600;
  return {
    eventId: lifecycleEventId(providerType, maintenanceId, 'new', 1),
    type: LIFECYCLE_TYPES[0],
    occurredAt: start - 86_400,
    maintenance: {
      providerType,
      providerName: providerType,
      maintenanceId,
      account: 'BENCH',
      status: 'CONFIRMED',
      start,
      end: start + 4 * 3600,
      summary: 'Benchmark maintenance',
      sequence: 1,
      stamp: start - 86_400,
      version: 1,
      circuits: Array.from({ length: 5 }, (_, c) => ({ providerCircuitId: `B-${i}-${c}`, impact: 'OUTAGE' as const, verified: true })),
      redundancyGroups: [],
    },
    changes: [],
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let nats: NatsServerHandle | undefined;
  const natsUrl = process.env.NATS_URL ?? (nats = await ownNats()).url;
  const namespace = testNamespace();
  const receiver = await startFakeWebhook();
  const dir = mkdtempSync(join(tmpdir(), 'bench-notifier-'));
  const env: Record<string, string> = { HOOK_KEY: receiver.secret, LATENCY_URL: receiver.receiverUrl('latency') };
  const destinations: Record<string, unknown> = {
    latency: { type: 'webhook', urlEnv: 'LATENCY_URL', secretEnv: 'HOOK_KEY', rateLimit: { perSecond: args.perSecond } },
  };
  for (let d = 0; d < DESTINATIONS; d++) {
    env[`D${d}_URL`] = receiver.receiverUrl(`d${d}`);
    destinations[`d${d}`] = { type: 'webhook', urlEnv: `D${d}_URL`, secretEnv: 'HOOK_KEY', rateLimit: { perSecond: args.throughputPerSecond } };
  }
  const routes = join(dir, 'routes.yaml');
  writeFileSync(
    routes,
    yaml.dump({
      destinations,
      routes: [
        { providers: ['latency'], destinations: ['latency'] },
        { providers: ['throughput'], destinations: Object.keys(destinations).filter((k) => k !== 'latency') },
      ],
    }),
  );

  buildApp('notifier');
  let app: AppProcess | undefined;
  const bus = await Bus.connect({ servers: natsUrl, name: 'bench-notifier', namespace });
  try {
    await bus.provision();
    app = await startApp('notifier', { NATS_URL: natsUrl, NATS_NAMESPACE: namespace, NOTIFIER_ROUTES_FILE: routes, LOG_LEVEL: 'warn', ...env });
    const proc = app;
    await until(async () => (await fetch(`${proc.url}/readyz`)).status === 200, 15_000, 'notifier ready');
    console.log(`notifier benchmark: NATS ${natsUrl.replace(/\/\/[^@/]*@/, '//')}, namespace ${namespace}, 2 phases`);

    // Warm-up: the first events pay for connections and JIT.
    for (let i = 0; i < 20; i++) await bus.publish(SUBJECTS.maintenanceEvent('new'), event(-1 - i, 'latency'), { msgId: `warm-${i}` });
    await until(() => receiver.posts('latency').length >= 20, 30_000, 'warm-up delivered');

    // 1. Latency under the rate limit.
    const total = Math.max(1, Math.round(args.seconds * args.rate));
    const sentAt = new Map<string, number>();
    const t0 = performance.now() + 50;
    const epochOffset = Date.now() - performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / args.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const e = event(i, 'latency');
      sentAt.set(e.eventId, performance.now() + epochOffset);
      await bus.publish(SUBJECTS.maintenanceEvent('new'), e, { msgId: e.eventId });
    }
    await until(() => receiver.posts('latency').length >= 20 + total, 60_000, 'latency events delivered');
    const latencies = receiver
      .posts('latency')
      .map((p) => {
        const id = p.headers['idempotency-key'];
        const at = typeof id === 'string' ? sentAt.get(id) : undefined;
        return at === undefined ? undefined : p.receivedAt - at;
      })
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    console.log(`latency: ${latencies.length} events at ${args.rate}/s to 1 webhook destination limited to ${args.perSecond}/s`);
    console.log(`event-to-post p50: ${fmt(percentile(latencies, 50))} ms, p90: ${fmt(percentile(latencies, 90))} ms, max: ${fmt(latencies[latencies.length - 1])} ms`);

    // 2. Sustained deliveries across 20 destinations.
    const expected = args.events * DESTINATIONS;
    const published = performance.now();
    for (let i = 0; i < args.events; i++) {
      const e = event(i, 'throughput');
      await bus.publish(SUBJECTS.maintenanceEvent('new'), e, { msgId: e.eventId });
    }
    const publishMs = performance.now() - published;
    const delivered = () => receiver.posts().length - 20 - total;
    await until(() => delivered() >= expected, Math.max(120_000, (expected / (args.throughputPerSecond * DESTINATIONS)) * 3000), 'throughput deliveries');
    // Wait a little for anything that would arrive twice.
    await new Promise((r) => setTimeout(r, 500));
    const posts = receiver.posts().filter((p) => p.receiver.startsWith('d'));
    const arrivals = posts.map((p) => p.receivedAt).sort((a, b) => a - b);
    const first = arrivals[0];
    const last = arrivals[arrivals.length - 1];
    const p10 = arrivals[Math.floor(arrivals.length * 0.1)];
    const p90 = arrivals[Math.floor(arrivals.length * 0.9)];
    const unique = new Set(posts.map((p) => `${p.receiver} ${String(p.headers['idempotency-key'])}`));
    const badSignatures = posts.filter((p) => !p.signatureValid).length;
    const perSecond = (arrivals.length * 0.8) / ((p90 - p10) / 1000);
    console.log(
      `throughput: ${args.events} events x ${DESTINATIONS} destinations limited to ${args.throughputPerSecond}/s each (ceiling ${args.throughputPerSecond * DESTINATIONS}/s); ` +
        `published in ${fmt(publishMs)} ms; ${posts.length} posts in ${fmt((last - first) / 1000)} s; ` +
        `duplicates: ${posts.length - unique.size}; missing: ${expected - unique.size}; bad signatures: ${badSignatures}`,
    );
    if (posts.length !== unique.size || unique.size !== expected) throw new Error('duplicates or missing deliveries');
    console.log(`event-to-post p99: ${fmt(percentile(latencies, 99))} ms`);
    console.log(`deliveries: ${fmt(perSecond)} /s`);
  } finally {
    await app?.stop();
    await bus.close();
    await receiver.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
