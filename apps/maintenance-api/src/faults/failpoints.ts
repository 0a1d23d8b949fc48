import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FailpointName } from '../config';

/** Injection token of the enabled failpoints. */
export const FAILPOINTS = Symbol('FAILPOINTS');

/**
 * Crash points for crash tests (FAILPOINTS, as in etcd's gofail and TiKV's fail-rs): at an
 * enabled point the process kills itself with SIGKILL, exactly as a crash or an OOM kill
 * would end it, between two steps whose atomicity the test checks. Off unless configured.
 */
@Injectable()
export class Failpoints {
  private readonly logger = new Logger('Failpoints');
  private readonly enabled: ReadonlySet<FailpointName>;

  constructor(@Inject(FAILPOINTS) names: readonly FailpointName[]) {
    this.enabled = new Set(names);
    if (this.enabled.size > 0) this.logger.warn(`failpoints armed: ${[...this.enabled].join(', ')} (crash tests only)`);
  }

  /** Kills the process here when this point is enabled. */
  hit(name: FailpointName): void {
    if (!this.enabled.has(name)) return;
    this.logger.warn(`failpoint ${name}: SIGKILL`);
    process.kill(process.pid, 'SIGKILL');
  }
}
