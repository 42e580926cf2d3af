import { MeanWindow, WINDOW_BUCKETS } from './mean-window.js';

describe('MeanWindow', () => {
  it('has no mean until its samples cover the span, then the mean of the last span', () => {
    const window = new MeanWindow(30_000);
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
    const window = new MeanWindow(10_000);
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
    const window = new MeanWindow(60_000); // 2-second buckets
    for (let ts = 0; ts <= 60_000; ts += 100) window.add(ts, ts <= 30_000 ? 0 : 10);
    // The oldest bucket left whole: within a bucket of the exact 5.
    expect(window.meanIfCovered()).toBeCloseTo(5, 0);
    for (let ts = 60_100; ts <= 120_000; ts += 100) window.add(ts, 10);
    expect(window.meanIfCovered()).toBeCloseTo(10, 5);
  });

  it('holds at most WINDOW_BUCKETS + 2 buckets whatever the rate', () => {
    const window = new MeanWindow(300_000);
    for (let ts = 0; ts < 3_600_000; ts += 50) window.add(ts, 1);
    expect((window as unknown as { ring: Float64Array }).ring.length).toBe((WINDOW_BUCKETS + 2) * 3);
    expect((window as unknown as { size: number }).size).toBeLessThanOrEqual(WINDOW_BUCKETS + 1);
    expect(window.meanIfCovered()).toBe(1);
  });

  it('skips values that are not finite', () => {
    const window = new MeanWindow(1_000);
    window.add(0, 4);
    window.add(1, Number.NaN);
    expect(window.mean()).toBe(4);
  });
});
