import type { DeviceEventInput } from '@maintwatch/persistence';

/** Writes a batch of events; returns the event ids that were new. */
export type InsertBatch = (events: readonly DeviceEventInput[]) => Promise<string[]>;

interface Waiting {
  input: DeviceEventInput;
  resolve: (stored: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for webhooks: while `inFlight` inserts run, the events arriving meanwhile wait
 * and go together in the next INSERT (one statement, one commit, one WAL flush for up to
 * `maxBatch` events). An event alone is written at once, so a quiet gateway adds no delay.
 * Measured: 1,386 webhooks/s one INSERT each on the loaded 2-core machine (bench, 64 at once).
 */
export class InsertBatcher {
  private readonly queue: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly insert: InsertBatch,
    private readonly inFlight = 2,
    private readonly maxBatch = 256,
  ) {}

  /** Stores one event; true when it was new, false when its event id was already stored. */
  store(input: DeviceEventInput): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.inFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.running++;
      void this.write(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const inserted = new Set(await this.insert(batch.map((w) => w.input)));
      // The same event twice in one batch (a retry racing its original): only the first is new.
      for (const w of batch) {
        const id = w.input.event.eventId;
        w.resolve(inserted.delete(id));
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
