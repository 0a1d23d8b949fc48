import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Bus } from '@maintwatch/messaging';
import type { Store } from '@maintwatch/persistence';

/**
 * A loop of the gateway that works in batches against its schema: after the store starts,
 * `once()` runs until it finds nothing to do, then again on `wake()` or after `intervalMs`.
 * An error is logged once until it changes, and retried. The relays and the drain runner run on it.
 */
export abstract class WakeableLoop implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private stopped = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  protected constructor(
    protected readonly store: Store,
    /** For the log: "drain relay". */
    private readonly label: string,
    private readonly intervalMs: number,
  ) {}

  /** Does one batch of work; returns how much it found (0: nothing left until the next wake). */
  protected abstract once(): Promise<number>;

  /** Works now. */
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
        const timer = setTimeout(resolve, this.intervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/**
 * The loop of a relay that publishes audited rows of the gateway's schema: `once()` claims
 * unpublished rows, publishes each under a deterministic Nats-Msg-Id, marks them and commits,
 * every second or on `wake()`. A crash between publish and commit publishes again under the
 * same ids and JetStream drops the copies.
 */
export abstract class PublishRelay extends WakeableLoop {
  protected constructor(
    store: Store,
    protected readonly bus: Bus,
    label: string,
  ) {
    super(store, label, 1000);
  }
}
