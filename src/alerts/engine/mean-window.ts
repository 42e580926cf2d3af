/** A window is split into this many buckets: its edge moves in steps of a thirtieth of its span. */
export const WINDOW_BUCKETS = 30;
/** Slots in the ring: a power of two, more than the WINDOW_BUCKETS + 1 buckets alive at once. */
const CAPACITY = 32;
const SLOT = CAPACITY - 1;

// A window's state, as positions in its Float64Array: a header, then of each metric its running sum
// and count and since when its run of samples goes (a gap longer than the span restarts it; a metric
// added later has its own `for` to wait), then a
// ring of CAPACITY slots, each [bucket number, then sum and count of each metric].
const HEAD = 0;
const SIZE = 1;
/** When the newest bucket ends, and when the oldest leaves the window. */
const NEWEST_END = 2;
const OLDEST_LEAVES = 3;
const LATEST = 4;
const TOTALS = 5;
/** Numbers per metric in the totals: sum, count, since. */
const TOTAL = 3;

/** Scratch for `add`, which is `addMany` of one sample. */
const ONE_TIME = new Float64Array(1);

/**
 * The means of some metrics of one series over its last `spanMs`, kept as the sums and counts of
 * WINDOW_BUCKETS time buckets: adding a sample and reading a mean are O(1), and a window's memory
 * is fixed whatever the sample rate: a 5-minute window of 1-second samples holds 30 buckets, not
 * 300 samples. The price is that old samples leave the window a bucket (span / 30) at a time.
 *
 * This runs for every sample of every watched series on the ingest process, so it is built for
 * speed: one window holds every metric its series' rules watch over the same span, so the bucket
 * bookkeeping is done once a sample, not once per metric; only buckets that received a sample
 * take a slot; the times at which the newest bucket ends and the oldest leaves are kept, so a
 * sample is a few comparisons and additions and at most one division; and the whole state is
 * numbers in one Float64Array (no object per bucket or per number for the collector to trace).
 * A value that is not finite (a rate's first sample, a percentage without a limit) is skipped
 * for its metric alone.
 */
export class MeanWindow {
  private readonly bucketMs: number;
  /** Numbers per ring slot. */
  private readonly stride: number;
  private readonly ring: number;
  private readonly data: Float64Array;

  /** `metrics`: the positions, in the values `addMany` is given, of the metrics this window averages. */
  constructor(
    readonly spanMs: number,
    readonly metrics: Int32Array,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(spanMs / WINDOW_BUCKETS));
    this.stride = 1 + 2 * metrics.length;
    this.ring = TOTALS + TOTAL * metrics.length;
    this.data = new Float64Array(this.ring + CAPACITY * this.stride);
    this.data[NEWEST_END] = Number.NEGATIVE_INFINITY;
    this.data[OLDEST_LEAVES] = Number.POSITIVE_INFINITY;
    this.data[LATEST] = Number.NaN;
    for (let m = 0; m < metrics.length; m++) this.data[TOTALS + TOTAL * m + 2] = Number.NaN;
  }

  /** A window over the same span for other metrics, with what this one knows of the metrics both have. */
  reshaped(metrics: Int32Array): MeanWindow {
    const next = new MeanWindow(this.spanMs, metrics);
    next.data.set(this.data.subarray(0, TOTALS));
    metrics.forEach((metric, to) => {
      const from = this.metrics.indexOf(metric);
      // A metric new to the window is covered a span after now, not after the window's run began.
      if (from < 0) return void (next.data[TOTALS + TOTAL * to + 2] = this.data[LATEST]);
      next.data.set(this.data.subarray(TOTALS + TOTAL * from, TOTALS + TOTAL * from + TOTAL), TOTALS + TOTAL * to);
      for (let slot = 0; slot < CAPACITY; slot++) {
        next.data[next.ring + slot * next.stride + 1 + 2 * to] = this.data[this.ring + slot * this.stride + 1 + 2 * from];
        next.data[next.ring + slot * next.stride + 2 + 2 * to] = this.data[this.ring + slot * this.stride + 2 + 2 * from];
      }
    });
    for (let slot = 0; slot < CAPACITY; slot++) next.data[next.ring + slot * next.stride] = this.data[this.ring + slot * this.stride];
    return next;
  }

  /** Adds one sample; `values[metrics[m]]` holds the value of each metric. */
  add(ts: number, values: Float64Array[]): void {
    ONE_TIME[0] = ts;
    this.addMany(ONE_TIME, values, 1);
  }

  /**
   * Adds the first `n` samples (in time order): their times, and each metric's values at its
   * position in `values`. One not newer than the latest is ignored (a resent frame, a clock step
   * back). The state stays in local variables for the run: a frame's samples of a series are fed
   * to each window in one call.
   */
  addMany(times: Float64Array, values: Float64Array[], n: number): void {
    const { data, bucketMs, spanMs, stride, ring, metrics } = this;
    const width = metrics.length;
    let head = data[HEAD];
    let size = data[SIZE];
    let newestEnd = data[NEWEST_END];
    let oldestLeaves = data[OLDEST_LEAVES];
    let latest = data[LATEST];
    for (let i = 0; i < n; i++) {
      const ts = times[i];
      if (ts <= latest) continue;
      if (!(ts - latest <= spanMs)) {
        head = size = 0;
        newestEnd = Number.NEGATIVE_INFINITY;
        oldestLeaves = Number.POSITIVE_INFINITY;
        for (let m = 0; m < width; m++) {
          data[TOTALS + TOTAL * m] = data[TOTALS + TOTAL * m + 1] = 0;
          data[TOTALS + TOTAL * m + 2] = ts;
        }
      }
      // Buckets that end at or before (ts − span) leave first, so a slot is free below.
      while (ts >= oldestLeaves) {
        const slot = ring + head * stride;
        for (let m = 0; m < width; m++) {
          data[TOTALS + TOTAL * m] -= data[slot + 1 + 2 * m];
          data[TOTALS + TOTAL * m + 1] -= data[slot + 2 + 2 * m];
        }
        head = (head + 1) & SLOT;
        oldestLeaves = --size ? data[ring + head * stride] * bucketMs + spanMs : Number.POSITIVE_INFINITY;
      }
      let slot: number;
      if (ts < newestEnd) {
        slot = ring + ((head + size - 1) & SLOT) * stride;
      } else {
        const bucket = Math.floor(ts / bucketMs);
        slot = ring + ((head + size) & SLOT) * stride;
        data[slot] = bucket;
        for (let m = 1; m < stride; m++) data[slot + m] = 0;
        if (size++ === 0) oldestLeaves = bucket * bucketMs + spanMs;
        newestEnd = (bucket + 1) * bucketMs;
      }
      for (let m = 0; m < width; m++) {
        const value = values[metrics[m]][i];
        if (!Number.isFinite(value)) continue;
        data[slot + 1 + 2 * m] += value;
        data[slot + 2 + 2 * m]++;
        data[TOTALS + TOTAL * m] += value;
        data[TOTALS + TOTAL * m + 1]++;
      }
      latest = ts;
    }
    data[HEAD] = head;
    data[SIZE] = size;
    data[NEWEST_END] = newestEnd;
    data[OLDEST_LEAVES] = oldestLeaves;
    data[LATEST] = latest;
  }

  /** The mean of the metric at position `m` of `metrics`, or undefined until the run of samples covers the whole span. */
  meanIfCovered(m: number): number | undefined {
    if (!(this.data[LATEST] - this.data[TOTALS + TOTAL * m + 2] >= this.spanMs)) return undefined;
    return this.mean(m);
  }

  mean(m: number): number | undefined {
    const count = this.data[TOTALS + TOTAL * m + 1];
    return count ? this.data[TOTALS + TOTAL * m] / count : undefined;
  }

  /** Buckets in the window now. */
  get buckets(): number {
    return this.data[SIZE];
  }
}
