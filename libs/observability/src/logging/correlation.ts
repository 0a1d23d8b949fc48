import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Header (HTTP and NATS) that carries the correlation id between services. Never rename. */
export const CORRELATION_HEADER = 'Maintwatch-Correlation-Id';

const storage = new AsyncLocalStorage<string>();

/** Runs `fn` with `id` as the current correlation id; every log line written inside carries it. */
export function withCorrelation<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

/** The correlation id of the current async context, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** A fresh correlation id, for work that starts here (a mail fetched, a timer fired). */
export function newCorrelationId(): string {
  return randomUUID();
}
