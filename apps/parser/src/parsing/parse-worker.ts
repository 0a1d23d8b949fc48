/**
 * The body of one parse worker thread (ParsePool): parses the mails it is handed with the
 * built-in providers and the operators' overrides it was last sent. It runs in its own V8
 * isolate so that a mail that makes a parser spin or bloat can be abandoned by terminating the
 * thread, without stalling the replica's other notices.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { builtInRegistry, parseMail, type ProviderOverride, type ProviderRegistry } from '@maintwatch/providers';
import type { ToWorker, FromWorker, WorkerData } from './parse-pool.messages';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');

const builtIn = builtInRegistry();
let registry: ProviderRegistry = builtIn;
const { maxPartBytes } = (workerData ?? {}) as WorkerData;

port.on('message', (message: ToWorker) => {
  if (message.type === 'overrides') {
    try {
      registry = builtIn.withOverrides(message.overrides as ProviderOverride[]);
    } catch {
      // The main thread validated these before sending; keep the previous table if not.
    }
    return;
  }
  const raw = Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength);
  parseMail(raw, { registry, providerHint: message.providerHint, maxPartBytes }).then(
    (outcome) => port.postMessage({ type: 'done', id: message.id, outcome } satisfies FromWorker),
    (err: unknown) =>
      port.postMessage({ type: 'failed', id: message.id, message: err instanceof Error ? err.message : String(err) } satisfies FromWorker),
  );
});
port.postMessage({ type: 'ready' } satisfies FromWorker);
