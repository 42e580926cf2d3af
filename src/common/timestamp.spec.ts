import { isoMillis, parseTimestamp, toMicrosIso, toMillisIso } from './timestamp.js';

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

/** The parser as it was before the minute cache: the regular expression and Date.parse on every string. */
function referenceParse(value: string) {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(9, '0');
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const ms = seconds + Number(fraction.slice(0, 3));
  if (ms < Date.UTC(2000, 0, 1) || ms > Date.UTC(2200, 0, 1)) return undefined;
  return { ms, micros: Number(fraction.slice(3, 6)), nanos: Number(fraction.slice(6, 9)) };
}

describe('the minute cache of parseTimestamp and toMillisIso', () => {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];

  it('formats exactly as toISOString, across minutes, hours, years and back again', () => {
    const starts = [Date.UTC(2026, 10, 30, 23, 59), Date.UTC(2000, 0, 1), Date.UTC(2199, 11, 31, 23, 59), Date.UTC(2028, 1, 29, 12)];
    for (let i = 0; i < 20_000; i++) {
      const ms = pick(starts) + Math.floor(Math.random() * 180_000) - 60_000;
      expect(toMillisIso({ ms, micros: 0, nanos: 0 })).toBe(new Date(ms).toISOString());
    }
    expect(isoMillis(Date.UTC(10_000, 0, 1))).toBe(new Date(Date.UTC(10_000, 0, 1)).toISOString());
    expect(isoMillis(1.5)).toBe(new Date(1.5).toISOString());
  });

  it('parses exactly as the regular expression and Date.parse, including near misses after a cached minute', () => {
    const minutes = ['2026-11-30T23:59:', '2026-12-01T00:00:', '2199-12-31T23:59:', '2200-01-01T00:00:', '2026-11-30T24:00:', '2026-02-29T10:00:', '2028-02-29T10:00:'];
    const seconds = ['00', '07', '59', '60', '5', '5a', '99'];
    const fractions = ['', '.1', '.123', '.123456', '.123456789', '.1234567890', '.', '.12a', '.000000001'];
    const zones = ['Z', 'Z', 'Z', '+02:00', 'z', ''];
    for (let i = 0; i < 20_000; i++) {
      const value = `${pick(minutes)}${pick(seconds)}${pick(fractions)}${pick(zones)}`;
      expect([value, parseTimestamp(value)]).toEqual([value, referenceParse(value)]);
    }
  });
});
