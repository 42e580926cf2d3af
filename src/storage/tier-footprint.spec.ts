import { bytesPerHostPerDay, tierBytes } from './tier-footprint.js';

const figures = (bytes: number, rows: number, oldest: string | null, newest: string | null) => ({ bytes, rows, oldest, newest });

describe('tierBytes', () => {
  it('reports each tier of both metric kinds, zero for a missing table', () => {
    const tables = { container_metrics: figures(100, 1, null, null), container_metrics_1h: figures(7, 1, null, null), host_metrics_1d: figures(3, 1, null, null) };
    expect(tierBytes(tables)).toEqual({ container: { raw: 100, minute: 0, hour: 7, day: 0 }, host: { raw: 0, minute: 0, hour: 0, day: 3 } });
  });
});

describe('bytesPerHostPerDay', () => {
  it('spreads each table over the days its rows span, plus one row period, per host', () => {
    const tables = {
      // Half a day of raw samples (span + 1 min ≈ 0.5 day) and of minutes, 2 days of hours, one daily row.
      container_metrics: figures(1_000_000, 10, '2026-11-23T00:00:00.000Z', '2026-11-23T11:59:00.000Z'),
      container_metrics_1m: figures(100_000, 10, '2026-11-23T00:00:00.000Z', '2026-11-23T11:59:00.000Z'),
      container_metrics_1h: figures(48_000, 48, '2026-11-22T00:00:00.000Z', '2026-11-23T23:00:00.000Z'),
      container_metrics_1d: figures(9_000, 1, '2026-11-23T00:00:00.000Z', '2026-11-23T00:00:00.000Z'),
      host_metrics: figures(500_000, 0, null, null),
    };
    expect(bytesPerHostPerDay(tables, 2)).toBe(Math.round((2_000_000 + 200_000 + 24_000 + 9_000) / 2));
  });
});
