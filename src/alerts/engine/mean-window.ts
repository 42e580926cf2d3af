/** A window is split into this many buckets: its edge moves in steps of a thirtieth of its span. */
export const WINDOW_BUCKETS = 30;
/** Buckets held at most: the window's own, plus the partly expired oldest and the current one. */
const CAPACITY = WINDOW_BUCKETS + 2;

/**
 * The mean of one series over its last `spanMs`, kept as the sums and counts of WINDOW_BUCKETS
 * time buckets: adding a sample and reading the mean are O(1), and a window's memory is fixed
 * (one array of CAPACITY × 3 numbers) whatever the sample rate: a 5-minute window of 1-second
 * samples holds 30 buckets, not 300 samples. The price is that old samples leave the window a
 * bucket (span / 30) at a time.
 */
export class MeanWindow {
  private readonly bucketMs: number;
  /** A ring of [bucket number, sum, count] triples. */
  private readonly ring = new Float64Array(CAPACITY * 3);
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
      this.head = this.size = this.sum = this.count = 0;
      this.since = ts;
    }
    this.latest = ts;
    const ring = this.ring;
    const bucket = Math.floor(ts / this.bucketMs);
    const last = ((this.head + this.size - 1) % CAPACITY) * 3;
    if (this.size && ring[last] === bucket) {
      ring[last + 1] += value;
      ring[last + 2]++;
    } else {
      if (this.size === CAPACITY) this.dropOldest();
      const at = ((this.head + this.size) % CAPACITY) * 3;
      ring[at] = bucket;
      ring[at + 1] = value;
      ring[at + 2] = 1;
      this.size++;
    }
    this.sum += value;
    this.count++;
    // Buckets that end at or before (ts − span) have left the window.
    const first = Math.floor((ts - this.spanMs) / this.bucketMs);
    while (this.size && ring[this.head * 3] <= first) this.dropOldest();
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
    this.sum -= this.ring[this.head * 3 + 1];
    this.count -= this.ring[this.head * 3 + 2];
    this.head = (this.head + 1) % CAPACITY;
    this.size--;
  }
}
