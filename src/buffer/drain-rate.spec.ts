import { DrainRate } from './drain-rate.js';

describe('DrainRate', () => {
  it('has no estimate until a window of a second has completed', () => {
    const rate = new DrainRate();
    const start = performance.now();
    rate.committed(5_000, start + 500);
    expect(rate.waitFor(10_000, 0)).toBeUndefined();
  });

  it('estimates the time to write the held rows at the last window’s rate, jittered by up to half', () => {
    const rate = new DrainRate();
    const start = performance.now();
    rate.committed(20_000, start + 400);
    rate.committed(30_000, start + 1_000);
    // 50,000 rows in about a second: 200,000 held take about 4 s, spread up to 6 s.
    expect(rate.waitFor(200_000, 0)).toBeGreaterThanOrEqual(3_990);
    expect(rate.waitFor(200_000, 0)).toBeLessThanOrEqual(4_010);
    expect(rate.waitFor(200_000, 1)).toBeGreaterThanOrEqual(5_990);
    expect(rate.waitFor(200_000, 1)).toBeLessThanOrEqual(6_010);
  });

  it('follows a slower database in the next window, and never says more than 30 s', () => {
    const rate = new DrainRate();
    const start = performance.now();
    rate.committed(50_000, start + 1_000);
    rate.committed(100, start + 2_000);
    expect(rate.waitFor(200_000, 0)).toBe(30_000);
  });
});
