import { TokenBucket } from 'limiter';

/**
 * One token bucket per source address (limiter's TokenBucket), so one noisy or hostile source
 * cannot starve the others. Buckets of sources quiet for a while are dropped, and at most
 * `maxSources` are kept (the oldest go first), so a spray of addresses cannot grow memory.
 */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxSources = 10_000,
  ) {}

  /** True when `source` may send one more request now. */
  take(source: string, nowMs = Date.now()): boolean {
    let entry = this.buckets.get(source);
    if (!entry) {
      const bucket = new TokenBucket({ bucketSize: this.burst, tokensPerInterval: this.perSecond, interval: 1000 });
      // The library starts empty; a new source may send its burst at once.
      bucket.content = this.burst;
      entry = { bucket, lastUsed: nowMs };
      this.buckets.set(source, entry);
      if (this.buckets.size > this.maxSources) this.evict(nowMs);
    } else {
      // Re-inserted so that the Map's order is least recently used first.
      this.buckets.delete(source);
      this.buckets.set(source, entry);
    }
    entry.lastUsed = nowMs;
    return entry.bucket.tryRemoveTokens(1);
  }

  private evict(nowMs: number): void {
    const idleMs = Math.max(1000, (this.burst / this.perSecond) * 1000);
    for (const [k, e] of this.buckets) {
      if (this.buckets.size <= this.maxSources && nowMs - e.lastUsed < idleMs) break;
      this.buckets.delete(k);
    }
  }
}
