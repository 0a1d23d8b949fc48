import type { ParseOutcome, ProviderOverride } from '@maintwatch/providers';

/** What each worker is started with. */
export interface WorkerData {
  maxPartBytes?: number;
}

/** Main thread -> parse worker. */
export type ToWorker =
  | { type: 'overrides'; overrides: readonly ProviderOverride[] }
  | { type: 'parse'; id: number; raw: Uint8Array; providerHint?: string };

/** Parse worker -> main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: ParseOutcome }
  | { type: 'failed'; id: number; message: string };
