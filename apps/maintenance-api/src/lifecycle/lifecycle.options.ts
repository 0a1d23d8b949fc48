/** Injection token of LifecycleOptions. */
export const LIFECYCLE_OPTIONS = Symbol('LIFECYCLE_OPTIONS');

/** How the relay and the clock run. */
export interface LifecycleOptions {
  outboxPollMs: number;
  outboxBatch: number;
  clockEnabled: boolean;
  clockIntervalMs: number;
  leadSeconds: number;
  /** This replica's name in clock_state (host and pid). */
  replica: string;
  /** The time, epoch seconds. */
  now: () => number;
}
