import { chooseTier } from './rollup-tier.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 10, 23, 12);
const edges = { minute: now - 30 * DAY, hour: now - 400 * DAY, day: now - 1825 * DAY };

describe('chooseTier', () => {
  it('picks the coarsest tier whose resolution divides the bucket', () => {
    const from = now - DAY;
    expect(chooseTier(MIN, from, edges)).toBe('minute');
    expect(chooseTier(5 * MIN, from, edges)).toBe('minute');
    expect(chooseTier(90 * MIN, from, edges)).toBe('minute');
    expect(chooseTier(HOUR, from, edges)).toBe('hour');
    expect(chooseTier(2 * HOUR, from, edges)).toBe('hour');
    expect(chooseTier(DAY, from, edges)).toBe('day');
    expect(chooseTier(7 * DAY, from, edges)).toBe('day');
  });

  it('leaves widths that are not whole minutes to raw samples', () => {
    expect(chooseTier(10_000, now - HOUR, edges)).toBeUndefined();
    expect(chooseTier(90_000, now - HOUR, edges)).toBeUndefined();
  });

  it('falls back to a finer tier when the coarser one does not reach back to from', () => {
    const shortHourly = { ...edges, hour: now - 10 * DAY };
    expect(chooseTier(2 * HOUR, now - 20 * DAY, shortHourly)).toBe('minute');
    expect(chooseTier(2 * HOUR, now - 5 * DAY, shortHourly)).toBe('hour');
    const shortDaily = { ...edges, day: now - 2 * DAY };
    expect(chooseTier(DAY, now - 20 * DAY, shortDaily)).toBe('hour');
    expect(chooseTier(DAY, now - 300 * DAY, shortDaily)).toBe('hour');
  });

  it('when no dividing tier reaches back to from, keeps the coarsest one (the read is clamped to it)', () => {
    expect(chooseTier(MIN, now - 60 * DAY, edges)).toBe('minute');
    expect(chooseTier(HOUR, now - 500 * DAY, edges)).toBe('hour');
    expect(chooseTier(DAY, now - 3000 * DAY, edges)).toBe('day');
  });
});
