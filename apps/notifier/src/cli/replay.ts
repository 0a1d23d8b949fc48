// npm run notifier:replay -- --since TIME
// A new notifier consumer starts at "now" (a first deploy must not post the stream's whole
// history); this is the explicit way to take past events in again, from TIME on.
import { parseArgs } from 'node:util';
import { Bus, isNotFound } from '@maintwatch/messaging';
import { loadConfigOrExit } from '@maintwatch/observability';
import { processEnvOf, replayConfig } from '../config';
import { parseSince, replayNotifier } from '../replay/replay';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { since: { type: 'string' } } });
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (!since) {
    console.error('usage: npm run notifier:replay -- --since TIME   (ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00Z; UTC unless an offset is given)');
    return 2;
  }
  const config = loadConfigOrExit(replayConfig, processEnvOf(), 'notifier:replay');
  const bus = await Bus.connect({
    servers: config.NATS_URL,
    name: 'notifier-replay',
    namespace: config.NATS_NAMESPACE,
    user: config.NATS_USER,
    pass: config.NATS_PASSWORD,
    token: config.NATS_TOKEN,
    tls: config.NATS_CA_FILE ? { caFile: config.NATS_CA_FILE } : undefined,
    provision: false,
  });
  try {
    for (const r of await replayNotifier(bus, since)) console.log(`${r.durable} (${r.stream}): ${r.pending} messages from ${since.toISOString()} on will be taken in again`);
    return 0;
  } catch (err) {
    if (isNotFound(err)) {
      console.error('the notifier has not created its consumers yet: start it once, then replay');
      return 1;
    }
    throw err;
  } finally {
    await bus.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`notifier:replay failed: ${(err as Error)?.message ?? String(err)}`);
    process.exit(1);
  },
);
