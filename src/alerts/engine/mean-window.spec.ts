import { MAX_WINDOW_SAMPLES, MeanWindow } from './mean-window.js';

describe('MeanWindow', () => {
  it('has no mean until its samples cover the span, then the mean of the last span', () => {
    const window = new MeanWindow(30_000);
    window.add(0, 10);
    window.add(10_000, 20);
    window.add(20_000, 30);
    expect(window.meanIfCovered()).toBeUndefined();
    window.add(30_000, 40);
    // The sample at 0 is outside (30 s, 30 s]: the mean is of 20, 30 and 40.
    expect(window.meanIfCovered()).toBe(30);
    window.add(40_000, 100);
    expect(window.meanIfCovered()).toBeCloseTo((30 + 40 + 100) / 3);
  });

  it('ignores samples older than the latest and restarts after a gap longer than the span', () => {
    const window = new MeanWindow(10_000);
    window.add(0, 1);
    window.add(10_000, 1);
    window.add(5_000, 1_000);
    expect(window.meanIfCovered()).toBe(1);
    window.add(60_000, 5);
    expect(window.meanIfCovered()).toBeUndefined();
    expect(window.mean()).toBe(5);
  });

  it('keeps at most MAX_WINDOW_SAMPLES, averaging the newest', () => {
    const window = new MeanWindow(1e12);
    for (let i = 0; i < MAX_WINDOW_SAMPLES + 100; i++) window.add(i, i < 100 ? 1_000_000 : 1);
    expect(window.mean()).toBe(1);
  });

  it('skips values that are not finite', () => {
    const window = new MeanWindow(1_000);
    window.add(0, 4);
    window.add(1, Number.NaN);
    expect(window.mean()).toBe(4);
  });
});
