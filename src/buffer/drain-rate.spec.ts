import { DrainRate } from './drain-rate.js';

/** A DrainRate whose first window starts at `start` (its constructor reads the clock). */
function rateFrom(start: number): DrainRate {
  const rate = new DrainRate();
  rate.committed(0, false, start);
  return rate;
}

describe('DrainRate', () => {
  it('has no estimate until a busy window of a second has completed', () => {
    const rate = rateFrom(0);
    rate.committed(5_000, true, 500);
    expect(rate.waitFor(10_000, 0, 500)).toBeUndefined();
  });

  it('estimates the time to write the held rows at the last window’s rate, jittered by up to half', () => {
    const rate = rateFrom(0);
    rate.committed(20_000, true, 400);
    rate.committed(30_000, true, 1_000);
    // 50,000 rows in a second: 100,000 held take 2 s, spread up to 3 s.
    expect(rate.waitFor(100_000, 0, 1_000)).toBe(2_000);
    expect(rate.waitFor(100_000, 1, 1_000)).toBe(3_000);
  });

  it('discards a window in which the buffer ran empty: it measured the senders, not the database', () => {
    const rate = rateFrom(0);
    rate.committed(100, false, 900);
    rate.committed(50_000, true, 1_500);
    expect(rate.waitFor(200_000, 0, 1_500)).toBeUndefined();
    rate.committed(50_000, true, 1_900);
    expect(rate.waitFor(200_000, 0, 1_900)).toBe(2_000);
  });

  it('follows a slower database in the next window, never says more than 5 s, and forgets a measure a minute old', () => {
    const rate = rateFrom(0);
    rate.committed(50_000, true, 1_000);
    rate.committed(100, true, 2_000);
    expect(rate.waitFor(200_000, 0, 2_000)).toBe(5_000);
    expect(rate.waitFor(200_000, 0, 62_001)).toBeUndefined();
  });
});
