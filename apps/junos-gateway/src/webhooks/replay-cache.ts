/**
 * Signatures accepted within the replay window. Hand-written rather than an LRU library: what
 * is needed is expiry by the request's own time plus a hard size bound, in a few lines; a Map
 * keeps insertion order, so the oldest entries are dropped first when the bound is reached.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** Records `key` until `expiresAt`; false when it is already there and not expired (a replay). */
  remember(key: string, expiresAt: number, now: number): boolean {
    const until = this.seen.get(key);
    if (until !== undefined && until >= now) return false;
    if (until !== undefined) this.seen.delete(key);
    this.seen.set(key, expiresAt);
    if (this.seen.size > this.capacity) this.sweep(now);
    return true;
  }

  /** Drops `key`. */
  forget(key: string): void {
    this.seen.delete(key);
  }

  /** How many signatures are remembered. */
  get size(): number {
    return this.seen.size;
  }

  private sweep(now: number): void {
    for (const [k, until] of this.seen) if (until < now) this.seen.delete(k);
    // Still over: a flood of valid signatures; the oldest go first (insertion order).
    for (const k of this.seen.keys()) {
      if (this.seen.size <= this.capacity) break;
      this.seen.delete(k);
    }
  }
}
