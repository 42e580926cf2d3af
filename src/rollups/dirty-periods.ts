/** (series, period) pairs by position; periods are their start as 'YYYY-MM-DDTHH:MM' (UTC), whatever the tier. */
export interface PeriodPairs {
  keys: string[];
  periods: string[];
}

/**
 * The minute a sample falls in, as a key. Samples reach the buffer as ISO strings in UTC
 * (toMillisIso), whose first 16 characters already are the minute: no date parsing on the hot path.
 */
export function minuteKey(ts: string): string {
  return ts.length >= 17 && ts[10] === 'T' && ts.endsWith('Z') ? ts.slice(0, 16) : new Date(ts).toISOString().slice(0, 16);
}

/** The hour and the day holding a period key, in the same format. */
export const hourKey = (period: string) => `${period.slice(0, 13)}:00`;
export const dayKey = (period: string) => `${period.slice(0, 10)}T00:00`;

/** The set of (series, period) pairs whose rollup rows of one tier are stale, grouped by series. */
export class DirtyPeriods {
  private readonly bySeries = new Map<string, Set<string>>();
  private pairs = 0;

  get size(): number {
    return this.pairs;
  }

  add(key: string, period: string): void {
    let periods = this.bySeries.get(key);
    if (!periods) this.bySeries.set(key, (periods = new Set()));
    if (periods.has(period)) return;
    periods.add(period);
    this.pairs++;
  }

  /** Removes and returns up to `max` pairs; pairs before `oldest` (a period key) are dropped on the way. */
  take(max: number, oldest = ''): PeriodPairs {
    const taken: PeriodPairs = { keys: [], periods: [] };
    for (const [key, periods] of this.bySeries) {
      for (const period of periods) {
        if (taken.keys.length >= max) return taken;
        periods.delete(period);
        this.pairs--;
        if (period < oldest) continue;
        taken.keys.push(key);
        taken.periods.push(period);
      }
      this.bySeries.delete(key);
    }
    return taken;
  }

  /** Puts back pairs whose recomputation failed (or marks pairs found elsewhere). */
  restore(pairs: PeriodPairs, periodOf: (period: string) => string = (period) => period): void {
    pairs.keys.forEach((key, i) => this.add(key, periodOf(pairs.periods[i])));
  }
}
