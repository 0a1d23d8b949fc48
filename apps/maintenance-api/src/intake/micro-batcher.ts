const LINGER_MS = 3;

/**
 * Gathers calls that arrive while a batch is running into the next batch. Each PostgreSQL
 * round trip costs the same for one row or a hundred, so the concurrent messages a consumer
 * hands over share one transaction and its WAL flush. When idle, a call runs at once; under
 * load (the last batch was large) a batch that would start small waits a few milliseconds for
 * the messages about to arrive, and a second batch starts beside the running one (up to
 * `inFlight`) only once it is full: batches stay large instead of alternating big and tiny.
 * Hand-written: the batching libraries on npm (dataloader and the like) batch per tick with
 * caching and keys, which is not this.
 */
export class MicroBatcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private busy = false;

  constructor(
    private readonly run: (items: I[]) => Promise<PromiseSettledResult<O>[]>,
    private readonly maxBatch: number,
    private readonly inFlight = 1,
  ) {}

  /** Resolves with this item's own result once its batch has run. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running === 0 || (this.running < this.inFlight && this.queue.length >= this.maxBatch)) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running++;
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
      this.running--;
    }
  }
}
