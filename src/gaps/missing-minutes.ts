import { floorHour, HOUR_MS, MINUTE_MS } from '../gap-ledger/minutes.js';
import type { Span } from './gap-periods.js';

const FULL_HOUR = (1n << 60n) - 1n;

/** The minutes of [from, to) (whole minutes) whose bit is not set in their hour's mask, as spans in order. */
export function missingMinutes(hours: ReadonlyMap<number, bigint>, from: number, to: number): Span[] {
  const spans: Span[] = [];
  const missing = (start: number, end: number) => {
    const last = spans[spans.length - 1];
    if (last && last.to === start) last.to = end;
    else spans.push({ from: start, to: end });
  };
  for (let hour = floorHour(from); hour < to; hour += HOUR_MS) {
    const start = Math.max(hour, from);
    const end = Math.min(hour + HOUR_MS, to);
    const mask = hours.get(hour) ?? 0n;
    if (mask === FULL_HOUR) continue;
    if (mask === 0n) {
      missing(start, end);
      continue;
    }
    for (let minute = start; minute < end; minute += MINUTE_MS) {
      if (((mask >> BigInt((minute - hour) / MINUTE_MS)) & 1n) === 0n) missing(minute, minute + MINUTE_MS);
    }
  }
  return spans;
}
