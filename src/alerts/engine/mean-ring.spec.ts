import { bucketWidthOf, MAX_BUCKETS_PER_SPAN, MeanRing } from './mean-ring.js';

/** A ring of one metric, fed one sample at a time. */
class OneMetric {
  readonly ring: MeanRing;
  private readonly times = new Float64Array(1);
  private readonly values = [new Float64Array(1)];

  constructor(...spansMs: number[]) {
    this.ring = new MeanRing(bucketWidthOf(Math.max(...spansMs)), Float64Array.from(spansMs), Int32Array.of(0));
  }

  add(ts: number, value: number): void {
    this.times[0] = ts;
    this.values[0][0] = value;
    this.ring.addMany(this.times, this.values, 1);
  }

  mean = (span = 0) => this.ring.mean(0, span);
  meanIfCovered = (span = 0) => this.ring.meanIfCovered(0, span);
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('bucketWidthOf', () => {
  it('is a second up to MAX_BUCKETS_PER_SPAN seconds, then the power of two seconds that keeps a span within them', () => {
    expect(bucketWidthOf(1_000)).toBe(1_000);
    expect(bucketWidthOf(MAX_BUCKETS_PER_SPAN * 1_000)).toBe(1_000);
    expect(bucketWidthOf(MAX_BUCKETS_PER_SPAN * 1_000 + 1)).toBe(2_000);
    expect(bucketWidthOf(300_000)).toBe(4_000);
    expect(bucketWidthOf(7 * 86_400_000)).toBe(8_192_000);
    for (const span of [1_000, 61_000, 300_000, 3_600_000, 7 * 86_400_000]) {
      expect(span / bucketWidthOf(span)).toBeLessThanOrEqual(MAX_BUCKETS_PER_SPAN);
      if (span > MAX_BUCKETS_PER_SPAN * 1_000) expect(span / bucketWidthOf(span)).toBeGreaterThan(MAX_BUCKETS_PER_SPAN / 2);
    }
  });
});

describe('MeanRing', () => {
  it('has no mean until its samples cover the span, then the mean of the last span', () => {
    const ring = new OneMetric(30_000);
    ring.add(0, 10);
    ring.add(10_000, 20);
    ring.add(20_000, 30);
    expect(ring.meanIfCovered()).toBeUndefined();
    ring.add(30_000, 40);
    // The sample at 0 is outside (0 s, 30 s]: the mean is of 20, 30 and 40.
    expect(ring.meanIfCovered()).toBe(30);
    ring.add(40_000, 100);
    expect(ring.meanIfCovered()).toBeCloseTo((30 + 40 + 100) / 3);
  });

  it('ignores samples not newer than the latest and restarts a span after a gap longer than it', () => {
    const ring = new OneMetric(10_000, 60_000);
    ring.add(0, 1);
    ring.add(10_000, 1);
    ring.add(5_000, 1_000);
    ring.add(10_000, 1_000);
    expect(ring.meanIfCovered(0)).toBe(1);
    ring.add(40_000, 5);
    // 30 s without samples: longer than 10 s, not than 60 s.
    expect(ring.meanIfCovered(0)).toBeUndefined();
    expect(ring.mean(0)).toBe(5);
    expect(ring.meanIfCovered(1)).toBeUndefined();
    ring.add(60_000, 5);
    // (0 s, 60 s]: the sample at 0 is out.
    expect(ring.meanIfCovered(1)).toBeCloseTo((1 + 5 + 5) / 3);
    ring.add(61_000, 5);
    expect(ring.meanIfCovered(1)).toBeCloseTo((1 + 5 + 5 + 5) / 4);
  });

  it('gives the exact mean of the samples in the buckets inside each span, across irregular gaps', () => {
    // A reference keeps every sample; a span holds those whose bucket is after the one (latest − span) falls in.
    const spans = [3_000, 10_000, 45_000, 120_000];
    const ring = new OneMetric(...spans);
    const width = bucketWidthOf(Math.max(...spans));
    const kept: [number, number][] = [];
    const runStarts = spans.map(() => Number.NaN);
    const next = random(7);
    let ts = 1_000_000;
    for (let i = 0; i < 4_000; i++) {
      const gap = Math.floor(next() * (i % 700 === 0 ? 200_000 : i % 50 === 0 ? 20_000 : 1_500)) + 1;
      spans.forEach((span, s) => (!(gap <= span) || i === 0) && (runStarts[s] = ts + gap));
      ts += gap;
      const value = Math.floor(next() * 100) - 20;
      kept.push([ts, value]);
      ring.add(ts, value);
      spans.forEach((span, s) => {
        const first = Math.floor((ts - span) / width);
        const inside = kept.filter(([at]) => Math.floor(at / width) > first);
        const expected = inside.reduce((sum, [, v]) => sum + v, 0) / inside.length;
        expect(ring.mean(s)).toBeCloseTo(expected, 6);
        if (ts - runStarts[s] >= span) expect(ring.meanIfCovered(s)).toBeCloseTo(expected, 6);
        else expect(ring.meanIfCovered(s)).toBeUndefined();
      });
      while (kept[0][0] < ts - 2 * Math.max(...spans)) kept.shift();
    }
  });

  it('keeps its memory whatever the sample rate and the time it runs', () => {
    const ring = new OneMetric(300_000);
    expect(ring.ring.capacity).toBe(300_000 / 4_000 + 2);
    for (let ts = 0; ts < 3_600_000; ts += 50) ring.add(ts, 1);
    expect(ring.meanIfCovered()).toBe(1);
  });

  it('keeps its precision when huge values came long before small ones, whatever the step between samples', () => {
    // Two buckets between samples and an odd capacity: a sample never lands on slot 0.
    const ring = new OneMetric(9_000);
    expect(ring.ring.capacity % 2).toBe(1);
    let ts = 1_000;
    for (let i = 0; i < 200_000; i++, ts += 2_000) ring.add(ts, 1e15);
    for (let i = 0; i < 10; i++, ts += 2_000) ring.add(ts, 1.5);
    expect(ring.meanIfCovered()).toBe(1.5);
  });

  it('averages several metrics, each skipping its own values that are not finite', () => {
    const ring = new MeanRing(1_000, Float64Array.of(10_000), Int32Array.of(0, 2));
    const times = new Float64Array(1);
    const values = [new Float64Array(1), new Float64Array(1), new Float64Array(1)];
    for (let ts = 0; ts <= 10_000; ts += 1_000) {
      times[0] = ts;
      values[0][0] = ts / 1_000;
      values[1][0] = 1e9; // not kept
      values[2][0] = ts === 5_000 ? Number.NaN : 4;
      ring.addMany(times, values, 1);
    }
    // (0 s, 10 s]: 1…10 for the first; 4 nine times for the second.
    expect(ring.meanIfCovered(0, 0)).toBe(5.5);
    expect(ring.meanIfCovered(1, 0)).toBe(4);
  });

  it('takes a frame of samples at once as it takes them one by one', () => {
    const spans = Float64Array.of(5_000, 60_000);
    const batched = new MeanRing(1_000, spans, Int32Array.of(0));
    const single = new OneMetric(5_000, 60_000);
    const times = new Float64Array(10);
    const values = [new Float64Array(10)];
    const next = random(3);
    let ts = 0;
    for (let frame = 0; frame < 500; frame++) {
      for (let i = 0; i < 10; i++) {
        times[i] = ts += Math.floor(next() * 3_000);
        values[0][i] = next() * 100;
        single.add(times[i], values[0][i]);
      }
      batched.addMany(times, values, 10);
      for (const s of [0, 1]) expect(batched.meanIfCovered(0, s)).toBe(single.meanIfCovered(s));
    }
  });

  it('keeps what it knows of the metrics and spans still read when they change', () => {
    const before = new MeanRing(1_000, Float64Array.of(10_000), Int32Array.of(1, 3));
    const times = new Float64Array(1);
    const values = [0, 1, 2, 3].map(() => new Float64Array(1));
    const feed = (ring: MeanRing, from: number, to: number) => {
      for (let ts = from; ts <= to; ts += 500) {
        times[0] = ts;
        values.forEach((column, i) => (column[0] = ts + i));
        ring.addMany(times, values, 1);
      }
    };
    feed(before, 0, 10_000);
    const after = before.reshaped(Float64Array.of(10_000, 20_000), Int32Array.of(0, 3));
    const reference = new MeanRing(1_000, Float64Array.of(10_000, 20_000), Int32Array.of(3));
    feed(reference, 0, 10_000);
    feed(after, 10_500, 15_000);
    feed(reference, 10_500, 15_000);
    expect(after.meanIfCovered(1, 0)).toBe(reference.meanIfCovered(0, 0));
    // The new span waits a span of its own, though the samples it needs were kept.
    expect(after.mean(1, 1)).toBe(reference.mean(0, 1));
    expect(after.meanIfCovered(1, 1)).toBeUndefined();
    // The new metric starts empty: its mean covers only what came after the change, and it waits a span of its own.
    expect(after.mean(0, 0)).toBeCloseTo((10_500 + 15_000) / 2, 6);
    expect(after.meanIfCovered(0, 0)).toBeUndefined();
    feed(after, 15_500, 20_000);
    feed(reference, 15_500, 20_000);
    // (10 s, 20 s]: the sample at 10.5 s left with its bucket.
    expect(after.meanIfCovered(0, 0)).toBeCloseTo((11_000 + 20_000) / 2, 6);
    feed(after, 20_500, 30_000);
    feed(reference, 20_500, 30_000);
    expect(after.meanIfCovered(1, 1)).toBe(reference.meanIfCovered(0, 1));
  });

  it('skips values that are not finite', () => {
    const ring = new OneMetric(1_000);
    ring.add(0, 4);
    ring.add(1, Number.NaN);
    expect(ring.mean()).toBe(4);
  });
});
