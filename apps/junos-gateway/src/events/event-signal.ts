import { Injectable } from '@nestjs/common';

/** Wakes the device-event relay when this process stored events, so they go out without waiting for the poll. */
@Injectable()
export class EventSignal {
  private waiter?: () => void;
  private pending = false;

  /** Events were committed. */
  notify(): void {
    this.pending = true;
    this.waiter?.();
  }

  /** Resolves at the next notify() (or at once if one came since the last wait), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiter = done;
    });
  }
}
