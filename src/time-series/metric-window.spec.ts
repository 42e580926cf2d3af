import { BadRequestException } from '@nestjs/common';
import { metricWindow } from './metric-window.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention = { raw: 24 * HOUR, rollups: 30 * DAY, hourly: 400 * DAY, daily: 1825 * DAY };
const now = Date.UTC(2026, 10, 23, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('metricWindow', () => {
  it('reads raw samples over the exact range without a bucket', () => {
    const window = metricWindow({ from: iso(now - 90_500), to: iso(now - 500), limit: 10 }, retention, now);
    expect(window).toEqual({ source: 'raw', from: new Date(now - 90_500), to: new Date(now - 500), limit: 10 });
  });

  it('reads whole-minute widths from rollups and others from raw samples, widened to whole buckets', () => {
    expect(metricWindow({ from: iso(now - 90_500), to: iso(now - 500), bucket: '1m' }, retention, now)).toEqual({
      source: 'rollup-buckets',
      tier: 'minute',
      from: new Date(now - 2 * MIN),
      to: new Date(now),
      limit: 1000,
      bucketMs: MIN,
    });
    expect(metricWindow({ from: iso(now - 90_500), to: iso(now - 500), bucket: '90s' }, retention, now)).toMatchObject({
      source: 'raw-buckets',
      from: new Date(now - 180_000),
      to: new Date(now),
      bucketMs: 90_000,
    });
    expect(metricWindow({ bucket: '1h', to: iso(now) }, retention, now)).toMatchObject({ source: 'rollup-buckets', tier: 'hour', from: new Date(now - HOUR) });
  });

  it('never reaches past the retention of the table it reads', () => {
    const from = iso(now - 40 * 24 * HOUR);
    expect(metricWindow({ from, to: iso(now) }, retention, now).from).toEqual(new Date(now - retention.raw));
    expect(metricWindow({ from, to: iso(now), bucket: '10s' }, retention, now).from).toEqual(new Date(now - retention.raw));
    const edge = now - retention.rollups + 30_000; // not on a bucket boundary
    expect(metricWindow({ from, to: iso(now), bucket: '1h' }, { ...retention, rollups: now - edge, hourly: now - edge }, now).from).toEqual(new Date(edge));
  });

  it('reads the coarsest tier dividing the bucket that reaches back to from, else the coarsest, clamped', () => {
    const window = (bucket: string, fromAgo: number) => metricWindow({ from: iso(now - fromAgo), to: iso(now), bucket }, retention, now);
    expect(window('2h', 90 * DAY)).toMatchObject({ tier: 'hour', from: new Date(now - 90 * DAY) });
    expect(window('1d', 365 * DAY)).toMatchObject({ tier: 'day', from: new Date(now - 365 * DAY - 12 * HOUR) });
    expect(window('7d', 700 * DAY)).toMatchObject({ tier: 'day' });
    expect(window('5m', 60 * DAY)).toMatchObject({ tier: 'minute', from: new Date(now - 30 * DAY) });
    expect(window('1h', 500 * DAY)).toMatchObject({ tier: 'hour', from: new Date(now - 400 * DAY) });
    const shortHourly = { ...retention, hourly: 10 * DAY };
    expect(metricWindow({ from: iso(now - 20 * DAY), to: iso(now), bucket: '1h' }, shortHourly, now)).toMatchObject({ tier: 'minute', from: new Date(now - 20 * DAY) });
  });

  it('rejects a reversed range', () => {
    expect(() => metricWindow({ from: iso(now), to: iso(now - MIN), bucket: '1m' }, retention, now)).toThrow(BadRequestException);
  });
});
