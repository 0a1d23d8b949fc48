// npm run import -- PATH [--since DATE] [--source NAME] [--provider TYPE]
// Publishes every mail of an mbox file, a folder of .eml files or a Maildir as raw notices,
// exactly like a live source; a re-run publishes nothing new (ingest's seen-set).
import { parseArgs } from 'node:util';
import { Bus } from '@maintwatch/messaging';
import { loadConfigOrExit } from '@maintwatch/observability';
import { backfill } from '../backfill/backfill';
import { env, importConfig } from '../config';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { since: { type: 'string' }, source: { type: 'string', default: 'backfill' }, provider: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    console.error('usage: npm run import -- PATH [--since YYYY-MM-DD] [--source NAME] [--provider TYPE]');
    return 2;
  }
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) {
    console.error(`--since ${values.since}: not a date (use YYYY-MM-DD)`);
    return 2;
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(values.source)) {
    console.error(`--source ${values.source}: letters, digits, "_", "." or "-" only`);
    return 2;
  }
  const config = loadConfigOrExit(importConfig, env(), 'import');
  const bus = await Bus.connect({
    servers: config.NATS_URL,
    name: 'import',
    namespace: config.NATS_NAMESPACE,
    user: config.NATS_USER,
    pass: config.NATS_PASSWORD,
    token: config.NATS_TOKEN,
    tls: config.NATS_CA_FILE ? { caFile: config.NATS_CA_FILE } : undefined,
    duplicateWindowMs: config.NATS_DUPLICATE_WINDOW_MS,
    // The same replicas as the services: provisioning with fewer would shrink a cluster's streams.
    replicas: config.NATS_STREAM_REPLICAS,
  });
  try {
    await bus.provision();
    const report = await backfill(bus, {
      path: positionals[0],
      source: values.source,
      since,
      providerHint: values.provider,
      maxMailBytes: config.INGEST_MAX_MAIL_BYTES,
      onMail: values.quiet ? undefined : (origin, status, id) => console.log(`${status.padEnd(14)} ${origin}${id ? `  ${id}` : ''}`),
    });
    console.log(`read ${report.read}, published ${report.published}, already seen ${report.alreadySeen}, before --since ${report.skippedBeforeSince}`);
    return 0;
  } finally {
    await bus.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`import failed: ${(err as Error)?.message ?? String(err)}`);
    process.exit(1);
  },
);
