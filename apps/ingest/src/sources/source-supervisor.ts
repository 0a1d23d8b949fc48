import type { LoggerService } from '@nestjs/common';
import { SourceError } from '../errors';
import type { SourceHealthBoard } from './source-health';

/** A live mail source (IMAP mailbox, Gmail mailbox). */
export interface MailSource {
  readonly name: string;
  /**
   * Connects, catches up from the cursor and keeps publishing new mail until `signal` aborts
   * (then resolves) or something fails (then throws, a SourceError naming the cause).
   */
  run(signal: AbortSignal): Promise<void>;
  /** Turns any error `run` threw into a SourceError (auth, tls, connect, ...). */
  classify(err: unknown): SourceError;
}

/** Reconnect backoff: doubles from minMs up to maxMs, each delay drawn with jitter. */
export interface ReconnectPolicy {
  minMs: number;
  maxMs: number;
}

/**
 * Runs every source on its own: a source that fails is logged (one line naming it and the cause,
 * repeated only when the cause changes), shown down in /readyz, counted, and retried with backoff
 * and jitter, while the others go on.
 */
export class SourceSupervisor {
  private readonly controller = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly sources: readonly MailSource[],
    private readonly board: SourceHealthBoard,
    private readonly reconnect: ReconnectPolicy,
    private readonly logger: LoggerService,
  ) {}

  /** Starts every source (returns at once). */
  start(): void {
    for (const source of this.sources) this.loops.push(this.loop(source));
  }

  /** Stops every source, letting a publish in flight finish, and waits for them. */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.loops);
  }

  private async loop(source: MailSource): Promise<void> {
    const signal = this.controller.signal;
    const health = this.board.get(source.name);
    let attempt = 0;
    let lastReason: string | undefined;
    while (!signal.aborted) {
      try {
        await source.run(signal);
        if (signal.aborted) break;
        throw new SourceError(source.name, 'connect', 'the connection ended');
      } catch (err) {
        if (signal.aborted) break;
        const failure = err instanceof SourceError ? err : source.classify(err);
        // A session that got up and ran counts as healthy: the next failure starts the backoff anew.
        if (health.isUp) attempt = 0;
        health.markDown(failure.kind, failure.reason);
        const delay = backoffDelay(this.reconnect, attempt++);
        const line = `${failure.message} (${failure.kind}); retrying in ${formatDelay(delay)}`;
        if (failure.reason !== lastReason) {
          if (failure.kind === 'connect' || failure.kind === 'publish') this.logger.warn(line);
          else this.logger.error(line);
        } else {
          this.logger.debug?.(line);
        }
        lastReason = failure.reason;
        await sleep(delay, signal);
      }
    }
    health.markStopped();
  }
}

/**
 * Hand-written rather than exponential-backoff's backOff(): a live source never "succeeds" and
 * returns, and its delay must start over after a healthy session, which that library cannot do.
 */
export function backoffDelay(policy: ReconnectPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(attempt, 30));
  // "Equal jitter": at least half the ceiling, so retries never come back to back.
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
