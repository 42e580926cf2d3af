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

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

export function parseTimestamp(value: unknown): Timestamp | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < MIN_MS || value > MAX_MS) return undefined;
    const ms = Math.floor(value);
    return { ms, micros: Math.round((value - ms) * 1000) % 1000, nanos: 0 };
  }
  if (typeof value !== 'string') return undefined;
  const match = ISO.exec(value);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').padEnd(9, '0');
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const ms = seconds + Number(fraction.slice(0, 3));
  if (ms < MIN_MS || ms > MAX_MS) return undefined;
  return { ms, micros: Number(fraction.slice(3, 6)), nanos: Number(fraction.slice(6, 9)) };
}

/** ISO 8601 with microseconds, as PostgreSQL stores it. */
export function toMicrosIso(ts: Timestamp): string {
  const iso = new Date(ts.ms).toISOString();
  return `${iso.slice(0, 23)}${String(ts.micros).padStart(3, '0')}Z`;
}

/** ISO 8601 with milliseconds. */
export function toMillisIso(ts: Timestamp): string {
  return new Date(ts.ms).toISOString();
}
