import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Bus } from '@maintwatch/messaging';
import type { Store } from '@maintwatch/persistence';

/**
 * The loop of a relay that publishes audited rows of the gateway's schema: after the store
 * starts, `once()` (claim unpublished rows, publish each under a deterministic Nats-Msg-Id, mark
 * them, commit) runs until it finds nothing, then again on `wake()` or after a second. A crash
 * between publish and commit publishes again under the same ids and JetStream drops the copies.
 * An error is logged once until it changes, and retried.
 */
export abstract class PublishRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  protected constructor(
    protected readonly store: Store,
    protected readonly bus: Bus,
    /** For the log: "drain relay". */
    private readonly label: string,
  ) {}

  /** Claims, publishes and marks one batch; returns how many rows it claimed. */
  protected abstract once(): Promise<number>;

  /** Publishes now. */
  wake(): void {
    this.wakeUp?.();
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    await this.store.whenStarted();
    let lastError = '';
    while (!this.stopped) {
      try {
        while ((await this.once()) > 0 && !this.stopped);
        lastError = '';
      } catch (err) {
        const reason = (err as Error)?.message ?? String(err);
        if (reason !== lastError) this.logger.warn(`${this.label}: ${reason}; retrying`);
        lastError = reason;
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
