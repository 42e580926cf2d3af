import { BadRequestException } from '@nestjs/common';
import { metricWindow } from './metric-window.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const retention = { raw: 24 * HOUR, rollups: 30 * 24 * HOUR };
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
    expect(metricWindow({ bucket: '1h', to: iso(now) }, retention, now)).toMatchObject({ source: 'rollup-buckets', from: new Date(now - HOUR) });
  });

  it('never reaches past the retention of the table it reads', () => {
    const from = iso(now - 40 * 24 * HOUR);
    expect(metricWindow({ from, to: iso(now) }, retention, now).from).toEqual(new Date(now - retention.raw));
    expect(metricWindow({ from, to: iso(now), bucket: '10s' }, retention, now).from).toEqual(new Date(now - retention.raw));
    const edge = now - retention.rollups + 30_000; // not on a bucket boundary
    expect(metricWindow({ from, to: iso(now), bucket: '1h' }, { ...retention, rollups: now - edge }, now).from).toEqual(new Date(edge));
  });

  it('rejects a reversed range', () => {
    expect(() => metricWindow({ from: iso(now), to: iso(now - MIN), bucket: '1m' }, retention, now)).toThrow(BadRequestException);
  });
});
