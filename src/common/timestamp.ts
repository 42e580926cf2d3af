/**
 * A point in time as agents send it: ISO 8601 (fraction up to nanoseconds, `Z` or an offset) or
 * epoch milliseconds. PostgreSQL keeps microseconds; `nanos` carries the rest for log ordering.
 */
export interface Timestamp {
  /** Epoch milliseconds (floor). */
  ms: number;
  /** Microseconds past `ms` (0–999). */
  micros: number;
  /** Nanoseconds past the microsecond (0–999). */
  nanos: number;
}

/**
 * A stored row's time as epoch milliseconds, kept beside its ISO `ts` by the handlers that build
 * rows: a reader of committed rows (the alert evaluator) takes the number instead of parsing the
 * string again, which a profile of saturated ingest with rules put at a third of the evaluator's
 * time. A symbol key, so JSON.stringify leaves it out of the bulk insert.
 */
export const EPOCH_MS: unique symbol = Symbol('epochMs');

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

/**
 * The minute of the last UTC string parsed (`YYYY-MM-DDTHH:MM:`) and of the last time formatted,
 * with its epoch milliseconds. V8's Date.parse and toISOString cost about a microsecond each, a
 * tenth of the server's time per metrics row in a profile of saturated ingest; an agent's samples
 * come in runs of the same minute, so only the seconds and the fraction are read or written.
 */
const parsed = { prefix: '', ms: 0 };
const formatted = { minute: Number.NaN, prefix: [] as number[] };
const MINUTE_MS = 60_000;
const DIGIT_0 = 48;
const isDigit = (code: number) => code >= DIGIT_0 && code <= DIGIT_0 + 9;

/** `…:SS[.fraction]Z` of a string whose minute is the one last parsed, without Date.parse; undefined to take the slow path. */
function parseInLastMinute(value: string): Timestamp | undefined {
  const length = value.length;
  if (length < 20 || value.charCodeAt(length - 1) !== 90 /* Z */ || !value.startsWith(parsed.prefix)) return undefined;
  const tens = value.charCodeAt(17);
  const units = value.charCodeAt(18);
  if (tens < DIGIT_0 || tens > DIGIT_0 + 5 || !isDigit(units)) return undefined;
  let fraction = 0;
  let scale = 100_000_000;
  if (length > 20) {
    // `.` and 1 to 9 digits before the Z.
    if (value.charCodeAt(19) !== 46 || length > 30 || length < 22) return undefined;
    for (let i = 20; i < length - 1; i++, scale /= 10) {
      const code = value.charCodeAt(i);
      if (!isDigit(code)) return undefined;
      fraction += (code - DIGIT_0) * scale;
    }
  }
  const ms = parsed.ms + ((tens - DIGIT_0) * 10 + units - DIGIT_0) * 1000 + Math.floor(fraction / 1_000_000);
  if (ms > MAX_MS) return undefined;
  return { ms, micros: Math.floor(fraction / 1000) % 1000, nanos: fraction % 1000 };
}

export function parseTimestamp(value: unknown): Timestamp | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < MIN_MS || value > MAX_MS) return undefined;
    const ms = Math.floor(value);
    return { ms, micros: Math.round((value - ms) * 1000) % 1000, nanos: 0 };
  }
  if (typeof value !== 'string') return undefined;
  if (parsed.prefix) {
    const fast = parseInLastMinute(value);
    if (fast) return fast;
  }
  const match = ISO.exec(value);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(9, '0');
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const ms = seconds + Number(fraction.slice(0, 3));
  if (ms < MIN_MS || ms > MAX_MS) return undefined;
  // Hour 24 is valid only as 24:00:00, so such a minute is never reused for other seconds.
  if (match[3] === 'Z' && !match[1].startsWith('24', 11)) {
    parsed.prefix = match[1].slice(0, 17);
    parsed.ms = seconds - Number(match[1].slice(17, 19)) * 1000;
  }
  return { ms, micros: Number(fraction.slice(3, 6)), nanos: Number(fraction.slice(6, 9)) };
}

/** ISO 8601 with microseconds, as PostgreSQL stores it. */
export function toMicrosIso(ts: Timestamp): string {
  return `${toMillisIso(ts).slice(0, 23)}${String(ts.micros).padStart(3, '0')}Z`;
}

/** ISO 8601 with milliseconds, exactly as Date's toISOString writes it. */
export function toMillisIso(ts: Timestamp): string {
  return isoMillis(ts.ms);
}

/**
 * Written as one flat string from character codes: a string built by concatenation is a tree of
 * parts that every later reader (the insert's JSON, the rollups' minute key, presence, the alert
 * evaluator) would first have to copy into one.
 */
export function isoMillis(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const minute = Math.floor(ms / MINUTE_MS);
  if (minute !== formatted.minute) {
    const iso = new Date(minute * MINUTE_MS).toISOString();
    // Years past 9999 or before 0 are written with a sign: not cached.
    if (iso.length !== 24) return new Date(ms).toISOString();
    formatted.minute = minute;
    formatted.prefix = Array.from(iso.slice(0, 17), (char) => char.charCodeAt(0));
  }
  const within = ms - minute * MINUTE_MS;
  const seconds = Math.floor(within / 1000);
  const millis = within - seconds * 1000;
  const p = formatted.prefix;
  return String.fromCharCode(
    p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16],
    DIGIT_0 + Math.floor(seconds / 10), DIGIT_0 + (seconds % 10), 46 /* . */,
    DIGIT_0 + Math.floor(millis / 100), DIGIT_0 + (Math.floor(millis / 10) % 10), DIGIT_0 + (millis % 10), 90 /* Z */,
  );
}
