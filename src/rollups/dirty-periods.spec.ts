import { DirtyPeriods, dayKey, hourKey, minuteKey } from './dirty-periods.js';

describe('minuteKey', () => {
  it('cuts an ISO UTC stamp to its minute', () => {
    expect(minuteKey('2026-11-23T10:05:59.999Z')).toBe('2026-11-23T10:05');
  });

  it('normalizes other forms to UTC', () => {
    expect(minuteKey('2026-11-23T12:05:30+02:00')).toBe('2026-11-23T10:05');
  });
});

describe('DirtyPeriods', () => {
  it('counts each (series, minute) pair once', () => {
    const dirty = new DirtyPeriods();
    dirty.add('a', '2026-11-23T10:05');
    dirty.add('a', '2026-11-23T10:05');
    dirty.add('a', '2026-11-23T10:06');
    dirty.add('b', '2026-11-23T10:05');
    expect(dirty.size).toBe(3);
  });

  it('hands out at most max pairs per take and keeps the rest', () => {
    const dirty = new DirtyPeriods();
    for (const key of ['a', 'b']) for (const minute of ['10:00', '10:01', '10:02']) dirty.add(key, `2026-11-23T${minute}`);
    const first = dirty.take(4);
    expect(first.keys).toHaveLength(4);
    expect(dirty.size).toBe(2);
    const rest = dirty.take(10);
    const pairs = [...first.keys.map((k, i) => `${k} ${first.periods[i]}`), ...rest.keys.map((k, i) => `${k} ${rest.periods[i]}`)];
    expect(new Set(pairs).size).toBe(6);
    expect(dirty.size).toBe(0);
    expect(dirty.take(10)).toEqual({ keys: [], periods: [] });
  });

  it('drops pairs older than the oldest minute still kept', () => {
    const dirty = new DirtyPeriods();
    dirty.add('a', '2026-11-22T23:59');
    dirty.add('a', '2026-11-23T00:00');
    dirty.add('b', '2026-11-21T10:00');
    expect(dirty.take(10, '2026-11-23T00:00')).toEqual({ keys: ['a'], periods: ['2026-11-23T00:00'] });
    expect(dirty.size).toBe(0);
  });

  it('restores pairs that failed, merged with pairs marked meanwhile', () => {
    const dirty = new DirtyPeriods();
    dirty.add('a', '2026-11-23T10:00');
    const taken = dirty.take(10);
    dirty.add('a', '2026-11-23T10:00');
    dirty.add('a', '2026-11-23T10:01');
    dirty.restore(taken);
    expect(dirty.size).toBe(2);
  });
});

describe('hourKey and dayKey', () => {
  it('cut a period key to its hour and day, in the same format', () => {
    expect(hourKey('2026-11-23T10:05')).toBe('2026-11-23T10:00');
    expect(dayKey('2026-11-23T10:05')).toBe('2026-11-23T00:00');
  });
});

describe('DirtyPeriods holding the period a series is still filling', () => {
  const hold = { quietMs: 10_000, maxMs: 60_000 };
  const pairs = (taken: { keys: string[]; periods: string[] }) => taken.keys.map((key, i) => `${key} ${taken.periods[i]}`);

  it('leaves the newest period of a series marked recently, and takes the closed ones', () => {
    const dirty = new DirtyPeriods(hold);
    dirty.add('a', '2026-11-23T10:00', 1_000);
    dirty.add('a', '2026-11-23T10:01', 2_000);
    dirty.add('b', '2026-11-23T10:00', 2_000);
    expect(pairs(dirty.take(10, '', 5_000))).toEqual(['a 2026-11-23T10:00']);
    expect(dirty.size).toBe(2);
    expect(pairs(dirty.take(10, '', 5_000))).toEqual([]);
  });

  it('takes the newest period once the series has been quiet for quietMs', () => {
    const dirty = new DirtyPeriods(hold);
    dirty.add('a', '2026-11-23T10:00', 1_000);
    dirty.add('a', '2026-11-23T10:00', 4_000);
    expect(dirty.take(10, '', 13_999).keys).toEqual([]);
    expect(pairs(dirty.take(10, '', 14_000))).toEqual(['a 2026-11-23T10:00']);
    expect(dirty.size).toBe(0);
  });

  it('takes it after maxMs however busy the series, then holds it again for new rows', () => {
    const dirty = new DirtyPeriods(hold);
    for (let at = 0; at <= 60_000; at += 1_000) dirty.add('a', '2026-11-23T10:00', at);
    expect(pairs(dirty.take(10, '', 60_000))).toEqual(['a 2026-11-23T10:00']);
    dirty.add('a', '2026-11-23T10:00', 61_000);
    expect(dirty.take(10, '', 62_000).keys).toEqual([]);
  });

  it('holds the newest period by its time, not by the order rows came in (a late sample is not newest)', () => {
    const dirty = new DirtyPeriods(hold);
    dirty.add('a', '2026-11-23T10:05', 1_000);
    dirty.add('a', '2026-11-23T09:00', 2_000);
    expect(pairs(dirty.take(10, '', 3_000))).toEqual(['a 2026-11-23T09:00']);
  });

  it('holds nothing when taken without a clock (readers settling) or without a hold', () => {
    const held = new DirtyPeriods(hold);
    held.add('a', '2026-11-23T10:00', 1_000);
    expect(pairs(held.take(10))).toEqual(['a 2026-11-23T10:00']);
    const plain = new DirtyPeriods();
    plain.add('a', '2026-11-23T10:00', 1_000);
    expect(pairs(plain.take(10, '', 1_001))).toEqual(['a 2026-11-23T10:00']);
  });

  it('does not hold pairs put back after a failure', () => {
    const dirty = new DirtyPeriods(hold);
    dirty.restore({ keys: ['a'], periods: ['2026-11-23T10:00'] });
    expect(pairs(dirty.take(10, '', 1_000))).toEqual(['a 2026-11-23T10:00']);
  });
});
