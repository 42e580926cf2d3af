/** A window is split into this many buckets: its edge moves in steps of a thirtieth of its span. */
export const WINDOW_BUCKETS = 30;

/**
 * The mean of one series over its last `spanMs`, kept as the sums and counts of WINDOW_BUCKETS
 * time buckets: adding a sample and reading the mean are O(1), and a window's memory is bounded
 * whatever the sample rate (a 5-minute window of 1-second samples holds 30 buckets, not 300
 * samples). The price is that old samples leave the window a bucket (span / 30) at a time.
 */
export class MeanWindow {
  private readonly bucketMs: number;
  // Rings that start small and double up to WINDOW_BUCKETS + 1: short or sparse windows stay tiny.
  private index = new Float64Array(8);
  private sums = new Float64Array(8);
  private counts = new Float64Array(8);
  private head = 0;
  private size = 0;
  private sum = 0;
  private count = 0;
  private latest = Number.NaN;
  /** When the current unbroken run of samples began: a gap longer than the span restarts it. */
  private since = Number.NaN;

  constructor(readonly spanMs: number) {
    this.bucketMs = Math.max(1, Math.ceil(spanMs / WINDOW_BUCKETS));
  }

  get latestTs(): number {
    return this.latest;
  }

  /** Adds a sample; one not newer than the latest is ignored (a resent frame, a clock step back). */
  add(ts: number, value: number): void {
    if (!Number.isFinite(value) || ts <= this.latest) return;
    if (!(ts - this.latest <= this.spanMs)) {
      this.clear();
      this.since = ts;
    }
    this.latest = ts;
    const bucket = Math.floor(ts / this.bucketMs);
    const last = (this.head + this.size - 1) % this.index.length;
    if (this.size && this.index[last] === bucket) {
      this.sums[last] += value;
      this.counts[last]++;
    } else {
      if (this.size === this.index.length) this.grow();
      const at = (this.head + this.size) % this.index.length;
      this.index[at] = bucket;
      this.sums[at] = value;
      this.counts[at] = 1;
      this.size++;
    }
    this.sum += value;
    this.count++;
    // Buckets that end at or before (ts − span) have left the window.
    const first = Math.floor((ts - this.spanMs) / this.bucketMs);
    while (this.size && this.index[this.head] <= first) this.dropOldest();
  }

  /** The mean of the window, or undefined until the run of samples covers the whole span. */
  meanIfCovered(): number | undefined {
    if (!this.count || this.latest - this.since < this.spanMs) return undefined;
    return this.sum / this.count;
  }

  mean(): number | undefined {
    return this.count ? this.sum / this.count : undefined;
  }

  private dropOldest(): void {
    this.sum -= this.sums[this.head];
    this.count -= this.counts[this.head];
    this.head = (this.head + 1) % this.index.length;
    this.size--;
  }

  private grow(): void {
    const capacity = Math.min(this.index.length * 2, WINDOW_BUCKETS + 2);
    const move = (from: Float64Array) => {
      const to = new Float64Array(capacity);
      for (let i = 0; i < this.size; i++) to[i] = from[(this.head + i) % from.length];
      return to;
    };
    this.index = move(this.index);
    this.sums = move(this.sums);
    this.counts = move(this.counts);
    this.head = 0;
  }

  private clear(): void {
    this.head = 0;
    this.size = 0;
    this.sum = 0;
    this.count = 0;
  }
}
