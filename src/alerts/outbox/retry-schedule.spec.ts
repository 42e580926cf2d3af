import { retryDelayMs } from './retry-schedule.js';

describe('retryDelayMs', () => {
  it('doubles the ceiling with each failure up to the cap', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1_000, 10_000, top))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
    expect(retryDelayMs(10_000, 1_000, 600_000, top)).toBe(600_000);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, 1_000, 10_000, () => 0)).toBe(0);
    expect(retryDelayMs(3, 1_000, 10_000, () => 0.5)).toBe(2_000);
    const delays = Array.from({ length: 1_000 }, () => retryDelayMs(4, 1_000, 600_000));
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);
    expect(new Set(delays).size).toBeGreaterThan(500);
  });
});
