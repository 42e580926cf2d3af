import { parseTimestamp, toMicrosIso } from './timestamp.js';

describe('parseTimestamp', () => {
  it('reads epoch milliseconds', () => {
    expect(parseTimestamp(1_795_000_000_123)).toEqual({ ms: 1_795_000_000_123, micros: 0, nanos: 0 });
  });

  it('keeps nanoseconds from an ISO string, as Docker log timestamps carry them', () => {
    const ts = parseTimestamp('2026-11-23T10:00:00.123456789Z')!;
    expect(ts).toEqual({ ms: Date.UTC(2026, 10, 23, 10, 0, 0, 123), micros: 456, nanos: 789 });
    expect(toMicrosIso(ts)).toBe('2026-11-23T10:00:00.123456Z');
  });

  it('honours offsets and short fractions', () => {
    expect(parseTimestamp('2026-11-23T12:00:00.5+02:00')!.ms).toBe(Date.UTC(2026, 10, 23, 10, 0, 0, 500));
    expect(parseTimestamp('2026-11-23T10:00:00Z')!.ms).toBe(Date.UTC(2026, 10, 23, 10));
  });

  it.each(['yesterday', '2026-11-23', '2026-11-23T10:00:00', '2026-13-23T10:00:00Z', -5, Number.NaN, null, {}, '1795000000000', 1e20])(
    'rejects %p',
    (value) => {
      expect(parseTimestamp(value)).toBeUndefined();
    },
  );
});
