/** Token buckets by key: `perMs` tokens a millisecond sustained, at most `burst` held. */
export interface TokenBuckets {
  /** Takes `cost` tokens from `key`'s bucket and answers 0, or answers how many ms until they are there (nothing is taken). */
  take(key: string, cost: number, now: number): number | Promise<number>;
  forget(key: string): void;
}

/** The buckets of one instance. */
export class InMemoryTokenBuckets implements TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMs: number,
    private readonly burst: number,
  ) {}

  take(key: string, cost: number, now: number): number {
    // A frame costing more than a whole burst would never pass: it waits for a full bucket instead.
    const needed = Math.min(cost, this.burst);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= needed) {
      bucket.tokens -= needed;
      return 0;
    }
    return Math.ceil((needed - bucket.tokens) / this.perMs);
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
