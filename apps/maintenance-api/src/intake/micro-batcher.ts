const LINGER_MS = 3;

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Gathers calls that arrive while a batch is running into the next batch. Each PostgreSQL
 * round trip costs the same for one row or a hundred, so the concurrent messages a consumer
 * hands over share one transaction and its WAL flush.
 *
 * Batches run in `lanes` side by side (one lane's batch is in PostgreSQL while the next
 * lane's is decided in memory). With `keyOf`, an item goes to the lane of its key, always the
 * same one: two batches running at once never hold the same key, so they neither wait on
 * each other's row locks nor both insert the same new row (measured before lanes: one batch
 * in ten ran again, some fell back to one message per transaction), and the items of a key
 * are applied in the order they came. When idle, a call runs at once; under load (the lane's
 * last batch was large) a batch that would start small waits a few milliseconds for the items
 * about to arrive, so that batches stay large instead of alternating big and tiny.
 * Hand-written: the batching libraries on npm (dataloader and the like) batch per tick with
 * caching, not per key lane with back-pressure.
 */
export class MicroBatcher<I, O> {
  private readonly lanes: Lane<I, O>[];
  private next = 0;

  constructor(
    run: (items: I[]) => Promise<PromiseSettledResult<O>[]>,
    maxBatch: number,
    lanes = 1,
    private readonly keyOf?: (item: I) => string,
  ) {
    this.lanes = Array.from({ length: Math.max(1, lanes) }, () => new Lane(run, maxBatch));
  }

  /** Resolves with this item's own result once its batch has run. */
  submit(item: I): Promise<O> {
    const n = this.lanes.length;
    const index = n === 1 ? 0 : this.keyOf ? fnv1a(this.keyOf(item)) % n : this.next++ % n;
    return (this.lanes[index] as Lane<I, O>).submit(item);
  }
}

class Lane<I, O> {
  private queue: Pending<I, O>[] = [];
  private running = false;
  private busy = false;

  constructor(
    private readonly run: (items: I[]) => Promise<PromiseSettledResult<O>[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        if (this.busy && this.queue.length < this.maxBatch) await new Promise((r) => setTimeout(r, LINGER_MS));
        const batch = this.queue.splice(0, this.maxBatch);
        if (batch.length === 0) break;
        this.busy = batch.length >= this.maxBatch / 4;
        let results: PromiseSettledResult<O>[];
        try {
          results = await this.run(batch.map((b) => b.item));
        } catch (err) {
          results = batch.map(() => ({ status: 'rejected', reason: err }));
        }
        batch.forEach((b, i) => {
          const r = results[i];
          if (r?.status === 'fulfilled') b.resolve(r.value);
          else b.reject(r ? r.reason : new Error('the batch gave no result for this item'));
        });
      }
    } finally {
      this.running = false;
    }
  }
}

/** FNV-1a, 32 bits: spreads keys over the lanes (not a security hash). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
