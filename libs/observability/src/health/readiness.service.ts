import { Inject, Injectable, Logger } from '@nestjs/common';
import { redactUrl } from '../logging/redact';
import {
  DEFAULT_READINESS_TIMEOUT_MS,
  type HealthCheck,
  OBSERVABILITY_OPTIONS,
  type ObservabilityModuleOptions,
} from './observability.module-definition';

/** The outcome of one readiness check. */
export type CheckResult = { status: 'up' } | { status: 'down'; reason: string };

/** The body of GET /readyz. */
export interface ReadinessReport {
  status: 'ready' | 'unavailable';
  checks: Record<string, CheckResult>;
}

// Hand-written rather than @nestjs/terminus: terminus fixes the response shape
// ({status, info, error, details}) and has no timeout for arbitrary check functions.
/** Runs the readiness checks, each bounded by the timeout. */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger('Readiness');
  private readonly checks: [string, HealthCheck][];
  private readonly timeoutMs: number;
  // A check still running from an earlier probe is awaited again rather than started anew, so a
  // hung dependency does not pile up one pending call per probe.
  private readonly running = new Map<string, Promise<unknown>>();
  private lastReady: boolean | undefined;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityModuleOptions) {
    this.checks = Object.entries(options.checks ?? {});
    this.timeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  }

  /** Runs every check in parallel; ready only when all pass within the timeout. */
  async check(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map(async ([name, fn]) => [name, await this.run(name, fn)] as const));
    const ready = results.every(([, r]) => r.status === 'up');
    this.logTransition(ready, results);
    return { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) };
  }

  private async run(name: string, fn: HealthCheck): Promise<CheckResult> {
    let pending = this.running.get(name);
    if (!pending) {
      pending = Promise.resolve()
        .then(fn)
        .finally(() => this.running.delete(name));
      this.running.set(name, pending);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const value = await Promise.race([pending, timeout]);
      return value === false ? { status: 'down', reason: 'check returned false' } : { status: 'up' };
    } catch (err) {
      return { status: 'down', reason: redactUrl(err instanceof Error ? err.message : String(err)) };
    } finally {
      clearTimeout(timer);
    }
  }

  // Logged on change only: probes run every few seconds.
  private logTransition(ready: boolean, results: readonly (readonly [string, CheckResult])[]): void {
    if (ready === this.lastReady) return;
    this.lastReady = ready;
    if (ready) {
      this.logger.log('ready');
    } else {
      const failing = results.flatMap(([name, r]) => (r.status === 'down' ? [`${name}: ${r.reason}`] : []));
      this.logger.warn(`not ready (${failing.join('; ')})`);
    }
  }
}
