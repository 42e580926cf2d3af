/** Buckets a span is split into at most: a span gets the narrowest bucket (a power of two seconds) that keeps it under this. */
export const MAX_BUCKETS_PER_SPAN = 120;
const SECOND = 1000;

/**
 * The bucket width of a span: one second up to MAX_BUCKETS_PER_SPAN seconds, then doubled until
 * the span fits (5 minutes: 4 s, 75 buckets; 7 days: 8,192 s, 74 buckets). Spans that share a
 * width share one ring.
 */
export function bucketWidthOf(spanMs: number): number {
  let width = SECOND;
  while (spanMs / width > MAX_BUCKETS_PER_SPAN) width *= 2;
  return width;
}

// Positions in a ring's Float64Array: a header, the spans' run starts and the metrics' start
// times, then `capacity` slots of [cumulative sum, cumulative count] for each metric. Slots are
// found from the newest one's index and a distance in buckets: bucket numbers are past the small
// integers, and a remainder of them would cost a floating-point division.
const NEWEST_BUCKET = 0;
const NEWEST_INDEX = 1;
const LATEST = 2;
const HEADER = 3;

/**
 * The means of some metrics of one series over one or more spans, kept as running totals: a slot
 * holds each metric's sum and count of every sample up to the end of its bucket, for the last
 * `capacity` buckets. Adding a sample writes one slot whatever the number of spans,
 * and a span's mean is the difference of two slots, so ten rules over five spans and five metrics
 * cost what one rule costs. The price: a span's edge moves a bucket at a time (a second for spans
 * up to two minutes, under 1/60 of the span beyond), and a slot is written for each bucket
 * skipped, so memory stays fixed at `capacity` slots whatever the sample rate.
 *
 * The state is numbers in one Float64Array (nothing per bucket for the collector to trace). A
 * value that is not finite (a rate's first sample, a percentage without a limit) is skipped for its
 * metric alone. A sample not newer than the latest is ignored (a resent frame, a clock step back).
 */
export class MeanRing {
  readonly capacity: number;
  /** Numbers per slot: sum and count of each metric. */
  private readonly stride: number;
  private readonly runStarts: number;
  private readonly metricStarts: number;
  private readonly slots: number;
  private readonly data: Float64Array;
  /** The shortest span: a gap shorter than it restarts no run, so most samples check one number. */
  private readonly shortestSpan: number;

  /**
   * `spans`: the spans read (all of width `bucketMs`); `metrics`: the positions, in the values
   * `addMany` is given, of the metrics kept.
   */
  constructor(
    readonly bucketMs: number,
    readonly spans: Float64Array,
    readonly metrics: Int32Array,
  ) {
    this.capacity = Math.floor(Math.max(...spans) / bucketMs) + 2;
    this.stride = 2 * metrics.length;
    this.runStarts = HEADER;
    this.metricStarts = HEADER + spans.length;
    this.slots = this.metricStarts + metrics.length;
    this.data = new Float64Array(this.slots + this.capacity * this.stride);
    this.data[NEWEST_BUCKET] = Number.NaN;
    this.data[LATEST] = Number.NaN;
    this.data.fill(Number.NaN, this.runStarts, this.slots);
    this.shortestSpan = Math.min(...spans);
  }

  /**
   * A ring for other spans or metrics with what this one knows: each metric still kept keeps its
   * totals, and a span it read before keeps its run. A metric or span new to the ring waits a
   * span of its own from the latest sample before it is covered.
   */
  reshaped(spans: Float64Array, metrics: Int32Array): MeanRing {
    const next = new MeanRing(this.bucketMs, spans, metrics);
    const { data } = next;
    const latest = this.data[LATEST];
    data[NEWEST_BUCKET] = this.data[NEWEST_BUCKET];
    data[LATEST] = latest;
    spans.forEach((span, j) => {
      const from = this.spans.indexOf(span);
      data[next.runStarts + j] = from < 0 ? latest : this.data[this.runStarts + from];
    });
    // The newest bucket takes the last slot; older ones come before it.
    data[NEWEST_INDEX] = next.capacity - 1;
    const empty = Number.isNaN(this.data[NEWEST_BUCKET]);
    metrics.forEach((metric, to) => {
      const from = this.metrics.indexOf(metric);
      if (from < 0) return void (data[next.metricStarts + to] = latest);
      data[next.metricStarts + to] = this.data[this.metricStarts + from];
      if (empty) return;
      // The buckets both rings hold, newest first; older ones stay at the oldest total kept.
      for (let back = 0; back < next.capacity; back++) {
        const source = this.slots + this.indexBack(Math.min(back, this.capacity - 1)) * this.stride;
        const target = next.slots + (next.capacity - 1 - back) * next.stride;
        data[target + 2 * to] = this.data[source + 2 * from];
        data[target + 2 * to + 1] = this.data[source + 2 * from + 1];
      }
    });
    return next;
  }

  /** The slot index `back` buckets before the newest one (0 ≤ back < capacity). */
  private indexBack(back: number): number {
    const index = this.data[NEWEST_INDEX] - back;
    return index < 0 ? index + this.capacity : index;
  }

  /**
   * Adds the first `n` samples (in time order): their times, and each metric's values at its
   * position in `values`. A frame's samples of a series are fed in one call.
   */
  addMany(times: Float64Array, values: Float64Array[], n: number): void {
    const { data, bucketMs, capacity, stride, slots, metrics } = this;
    const width = metrics.length;
    let newest = data[NEWEST_BUCKET];
    let index = data[NEWEST_INDEX];
    let latest = data[LATEST];
    for (let i = 0; i < n; i++) {
      const ts = times[i];
      if (ts <= latest) continue;
      if (!(ts - latest < this.shortestSpan)) this.restartRuns(ts, latest);
      const bucket = Math.floor(ts / bucketMs);
      if (bucket !== newest) {
        if (!Number.isNaN(newest)) {
          // Each bucket from the newest to this one starts at the newest's totals.
          const from = slots + index * stride;
          const steps = Math.min(bucket - newest, capacity);
          let lapped = false;
          for (let step = 1; step <= steps; step++) {
            let to = index + step;
            if (to >= capacity) {
              to -= capacity;
              lapped = true;
            }
            to = slots + to * stride;
            for (let m = 0; m < stride; m++) data[to + m] = data[from + m];
          }
          index += steps;
          if (index >= capacity) index -= capacity;
          // Totals grow without end; once a lap, every slot is lowered by the oldest one so the
          // differences keep their precision.
          if (lapped) this.rebase(index);
        }
        newest = bucket;
      }
      const slot = slots + index * stride;
      for (let m = 0; m < width; m++) {
        const value = values[metrics[m]][i];
        if (!Number.isFinite(value)) continue;
        data[slot + 2 * m] += value;
        data[slot + 2 * m + 1]++;
      }
      latest = ts;
    }
    data[NEWEST_BUCKET] = newest;
    data[NEWEST_INDEX] = index;
    data[LATEST] = latest;
  }

  /** The mean of the metric at position `m` of `metrics` over the span at position `s` of `spans`, or undefined without samples. */
  mean(m: number, s: number): number | undefined {
    const latest = this.data[LATEST];
    if (Number.isNaN(latest)) return undefined;
    const newest = this.slots + this.data[NEWEST_INDEX] * this.stride;
    // The last bucket outside: samples in (latest − span, latest], a bucket at a time.
    const back = this.data[NEWEST_BUCKET] - Math.floor((latest - this.spans[s]) / this.bucketMs);
    const before = this.slots + this.indexBack(back) * this.stride;
    const count = this.data[newest + 2 * m + 1] - this.data[before + 2 * m + 1];
    return count > 0 ? (this.data[newest + 2 * m] - this.data[before + 2 * m]) / count : undefined;
  }

  /** As `mean`, but undefined until the metric's run of samples covers the whole span. */
  meanIfCovered(m: number, s: number): number | undefined {
    const latest = this.data[LATEST];
    const span = this.spans[s];
    if (!(latest - this.data[this.runStarts + s] >= span && latest - this.data[this.metricStarts + m] >= span)) return undefined;
    return this.mean(m, s);
  }

  /** A gap longer than a span (or the first sample) starts that span's run, and a metric's, again at `ts`. */
  private restartRuns(ts: number, latest: number): void {
    const { data, spans, runStarts, metricStarts } = this;
    const gap = ts - latest;
    for (let s = 0; s < spans.length; s++) if (!(gap <= spans[s])) data[runStarts + s] = ts;
    if (Number.isNaN(latest)) data.fill(ts, metricStarts, metricStarts + this.metrics.length);
  }

  /** Lowers every slot by the totals of the oldest bucket held (the slot after the newest's `index`). */
  private rebase(index: number): void {
    const { data, capacity, stride, slots } = this;
    const oldest = slots + (index + 1 === capacity ? 0 : index + 1) * stride;
    for (let m = 0; m < stride; m++) {
      const base = data[oldest + m];
      if (base === 0) continue;
      for (let s = 0; s < capacity; s++) data[slots + s * stride + m] -= base;
    }
  }
}
