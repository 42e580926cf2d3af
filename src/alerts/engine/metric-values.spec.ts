import { EPOCH_MS } from '../../common/timestamp.js';
import { rowTime, sampleTime } from './metric-values.js';

describe('sampleTime', () => {
  it('reads committed ISO times exactly as Date.parse does, across minutes, days and years', () => {
    let ms = Date.UTC(2025, 11, 31, 23, 58, 0, 0);
    for (let i = 0; i < 20_000; i++) {
      ms += (i * 7919) % 9_973;
      const iso = new Date(ms).toISOString();
      expect(sampleTime(iso)).toBe(ms);
    }
  });

  it('falls back to Date.parse for other forms, and reads Dates read back from the database', () => {
    expect(sampleTime('2026-11-30T12:00:00+01:00')).toBe(Date.UTC(2026, 10, 30, 11));
    expect(sampleTime('2026-11-30T12:00:00Z')).toBe(Date.UTC(2026, 10, 30, 12));
    expect(sampleTime(new Date(1_700_000_000_123))).toBe(1_700_000_000_123);
  });
});

describe('rowTime', () => {
  it('takes the epoch milliseconds a handler kept beside ts, and parses ts without them', () => {
    const ts = '2026-11-30T12:00:01.250Z';
    expect(rowTime({ ts, [EPOCH_MS]: Date.parse(ts) })).toBe(Date.parse(ts));
    expect(rowTime({ ts })).toBe(Date.parse(ts));
    // The number wins: it is what the ISO string was written from.
    expect(rowTime({ ts, [EPOCH_MS]: 42 })).toBe(42);
  });

  it('is left out of the JSON the bulk insert sends', () => {
    expect(JSON.parse(JSON.stringify([{ ts: '2026-11-30T12:00:01.250Z', [EPOCH_MS]: 1 }]))).toEqual([{ ts: '2026-11-30T12:00:01.250Z' }]);
  });
});
