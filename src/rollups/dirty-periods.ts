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

/**
 * How long a series' newest period may wait while samples still arrive for it: the minute still
 * filling would otherwise be reread whole by every pass (a minute of 1 s samples about 30 times).
 */
export interface OpenPeriodHold {
  /** The newest period is held while the series was marked this recently... */
  quietMs: number;
  /** ...and for at most this long since it became the newest (bounds what readers elsewhere see late). */
  maxMs: number;
}

interface SeriesPeriods {
  periods: Set<string>;
  newest: string;
  /** Clock readings (the callers' `at`) of the last mark and of when `newest` became the newest. */
  markedAt: number;
  newestSince: number;
}

/** The set of (series, period) pairs whose rollup rows of one tier are stale, grouped by series. */
export class DirtyPeriods {
  private readonly bySeries = new Map<string, SeriesPeriods>();
  private pairs = 0;

  constructor(private readonly hold?: OpenPeriodHold) {}

  get size(): number {
    return this.pairs;
  }

  /** `at`: the caller's clock (performance.now()) when the period got new rows; pairs put back never hold. */
  add(key: string, period: string, at = -Infinity): void {
    let series = this.bySeries.get(key);
    if (!series) this.bySeries.set(key, (series = { periods: new Set(), newest: period, markedAt: at, newestSince: at }));
    else if (period > series.newest) {
      series.newest = period;
      series.newestSince = at;
      series.markedAt = at;
    } else if (period === series.newest && at > series.markedAt) series.markedAt = at;
    if (series.periods.has(period)) return;
    series.periods.add(period);
    this.pairs++;
  }

  /**
   * Removes and returns up to `max` pairs; pairs before `oldest` (a period key) are dropped on the
   * way. With `now` (the callers' clock), a series' newest period is left in place while the hold
   * applies; without it everything is taken (readers settling, shutdown).
   */
  take(max: number, oldest = '', now?: number): PeriodPairs {
    const taken: PeriodPairs = { keys: [], periods: [] };
    for (const [key, series] of this.bySeries) {
      const held = now !== undefined && this.holds(series, now) ? series.newest : undefined;
      for (const period of series.periods) {
        if (taken.keys.length >= max) return taken;
        if (period === held) continue;
        series.periods.delete(period);
        this.pairs--;
        if (period < oldest) continue;
        taken.keys.push(key);
        taken.periods.push(period);
      }
      if (series.periods.size === 0) this.bySeries.delete(key);
    }
    return taken;
  }

  private holds(series: SeriesPeriods, now: number): boolean {
    return this.hold !== undefined && now - series.markedAt < this.hold.quietMs && now - series.newestSince < this.hold.maxMs;
  }

  /** Puts back pairs whose recomputation failed (or marks pairs found elsewhere). */
  restore(pairs: PeriodPairs, periodOf: (period: string) => string = (period) => period): void {
    pairs.keys.forEach((key, i) => this.add(key, periodOf(pairs.periods[i])));
  }
}
