import { MeanWindow, WINDOW_BUCKETS } from './mean-window.js';

/** A window of one metric, fed one sample at a time. */
class OneMetric {
  readonly window: MeanWindow;
  private readonly values = [new Float64Array(1)];

  constructor(spanMs: number) {
    this.window = new MeanWindow(spanMs, Int32Array.of(0));
  }

  add(ts: number, value: number): void {
    this.values[0][0] = value;
    this.window.add(ts, this.values);
  }

  mean = () => this.window.mean(0);
  meanIfCovered = () => this.window.meanIfCovered(0);
}

describe('MeanWindow', () => {
  it('has no mean until its samples cover the span, then the mean of the last span', () => {
    const window = new OneMetric(30_000);
    window.add(0, 10);
    window.add(10_000, 20);
    window.add(20_000, 30);
    expect(window.meanIfCovered()).toBeUndefined();
    window.add(30_000, 40);
    // The sample at 0 is outside (0 s, 30 s]: the mean is of 20, 30 and 40.
    expect(window.meanIfCovered()).toBe(30);
    window.add(40_000, 100);
    expect(window.meanIfCovered()).toBeCloseTo((30 + 40 + 100) / 3);
  });

  it('ignores samples not newer than the latest and restarts after a gap longer than the span', () => {
    const window = new OneMetric(10_000);
    window.add(0, 1);
    window.add(10_000, 1);
    window.add(5_000, 1_000);
    window.add(10_000, 1_000);
    expect(window.meanIfCovered()).toBe(1);
    window.add(60_000, 5);
    expect(window.meanIfCovered()).toBeUndefined();
    expect(window.mean()).toBe(5);
  });

  it('averages many samples a bucket, and lets them go a bucket at a time', () => {
    const window = new OneMetric(60_000); // 2-second buckets
    for (let ts = 0; ts <= 60_000; ts += 100) window.add(ts, ts <= 30_000 ? 0 : 10);
    // The oldest bucket left whole: within a bucket of the exact 5.
    expect(window.meanIfCovered()).toBeCloseTo(5, 0);
    for (let ts = 60_100; ts <= 120_000; ts += 100) window.add(ts, 10);
    expect(window.meanIfCovered()).toBeCloseTo(10, 5);
  });

  it('holds at most WINDOW_BUCKETS + 2 buckets whatever the rate', () => {
    const window = new OneMetric(300_000);
    for (let ts = 0; ts < 3_600_000; ts += 50) window.add(ts, 1);
    expect(window.window.buckets).toBeLessThanOrEqual(WINDOW_BUCKETS + 1);
    expect(window.meanIfCovered()).toBe(1);
  });

  it('gives the exact mean of the samples in the buckets still inside, across irregular gaps', () => {
    // A reference: keep every sample, drop those whose bucket ended at or before (ts − span).
    const span = 10_000;
    const bucketMs = Math.ceil(span / WINDOW_BUCKETS);
    const window = new OneMetric(span);
    const kept: [number, number][] = [];
    let ts = 1_000_000;
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5_000; i++) {
      ts += Math.floor(random() * (i % 500 === 0 ? 3 * span : 900)) + 1;
      const value = Math.floor(random() * 100);
      if (kept.length && ts - kept[kept.length - 1][0] > span) kept.length = 0;
      kept.push([ts, value]);
      window.add(ts, value);
      const first = Math.floor((ts - span) / bucketMs);
      while (Math.floor(kept[0][0] / bucketMs) <= first) kept.shift();
      const expected = kept.reduce((sum, [, v]) => sum + v, 0) / kept.length;
      expect(window.mean()).toBeCloseTo(expected, 6);
    }
  });

  it('averages several metrics over one span, each skipping its own values that are not finite', () => {
    const window = new MeanWindow(10_000, Int32Array.of(0, 2));
    const values = [new Float64Array(1), new Float64Array(1), new Float64Array(1)];
    for (let ts = 0; ts <= 10_000; ts += 1_000) {
      values[0][0] = ts / 1_000;
      values[1][0] = 1e9; // not watched
      values[2][0] = ts === 0 ? Number.NaN : 4;
      window.add(ts, values);
    }
    // (0 s, 10 s]: 1…10 for the first; 4 ten times for the second (its NaN at 0 s left with its bucket anyway).
    expect(window.meanIfCovered(0)).toBe(5.5);
    expect(window.meanIfCovered(1)).toBe(4);
  });

  it('keeps what it knows of the metrics still watched when its metrics change', () => {
    const before = new MeanWindow(10_000, Int32Array.of(1, 3));
    const values = [0, 1, 2, 3].map(() => new Float64Array(1));
    const feed = (window: MeanWindow, from: number, to: number) => {
      for (let ts = from; ts <= to; ts += 500) {
        values.forEach((column, i) => (column[0] = ts + i));
        window.add(ts, values);
      }
    };
    feed(before, 0, 10_000);
    const after = before.reshaped(Int32Array.of(0, 3));
    const reference = new MeanWindow(10_000, Int32Array.of(3));
    feed(reference, 0, 10_000);
    feed(after, 10_500, 15_000);
    feed(reference, 10_500, 15_000);
    expect(after.meanIfCovered(1)).toBe(reference.meanIfCovered(0));
    // The new metric starts empty: its mean covers only what came after the change, and it waits a span of its own.
    expect(after.mean(0)).toBeCloseTo((10_500 + 15_000) / 2, 6);
    expect(after.meanIfCovered(0)).toBeUndefined();
    feed(after, 15_500, 20_000);
    expect(after.meanIfCovered(0)).toBeCloseTo((10_500 + 20_000) / 2, 6);
  });

  it('skips values that are not finite', () => {
    const window = new OneMetric(1_000);
    window.add(0, 4);
    window.add(1, Number.NaN);
    expect(window.mean()).toBe(4);
  });
});
