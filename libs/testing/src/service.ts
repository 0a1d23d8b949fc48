/** Where a test service came from: the environment (shared, not ours to stop), a testcontainer, or a local process. */
export type ServiceSource = 'env' | 'docker' | 'local';

/** Options for a fault test's restart(). */
export interface RestartOptions {
  /** How long the service stays down between stop and start (for "server gone for a while" tests). */
  downMs?: number;
}
