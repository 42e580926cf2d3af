/** (series, minute) pairs by position; minutes as 'YYYY-MM-DDTHH:MM' (UTC). */
export interface MinutePairs {
  keys: string[];
  minutes: string[];
}

/**
 * The minute a sample falls in, as a key. Samples reach the buffer as ISO strings in UTC
 * (toMillisIso), whose first 16 characters already are the minute: no date parsing on the hot path.
 */
export function minuteKey(ts: string): string {
  return ts.length >= 17 && ts[10] === 'T' && ts.endsWith('Z') ? ts.slice(0, 16) : new Date(ts).toISOString().slice(0, 16);
}

/** The set of (series, minute) pairs whose rollup rows are stale, grouped by series. */
export class DirtyMinutes {
  private readonly bySeries = new Map<string, Set<string>>();
  private pairs = 0;

  get size(): number {
    return this.pairs;
  }

  add(key: string, minute: string): void {
    let minutes = this.bySeries.get(key);
    if (!minutes) this.bySeries.set(key, (minutes = new Set()));
    if (minutes.has(minute)) return;
    minutes.add(minute);
    this.pairs++;
  }

  /** Removes and returns up to `max` pairs; pairs before `oldest` (a minute key) are dropped on the way. */
  take(max: number, oldest = ''): MinutePairs {
    const taken: MinutePairs = { keys: [], minutes: [] };
    for (const [key, minutes] of this.bySeries) {
      for (const minute of minutes) {
        if (taken.keys.length >= max) return taken;
        minutes.delete(minute);
        this.pairs--;
        if (minute < oldest) continue;
        taken.keys.push(key);
        taken.minutes.push(minute);
      }
      this.bySeries.delete(key);
    }
    return taken;
  }

  /** Puts back pairs whose recomputation failed. */
  restore(pairs: MinutePairs): void {
    pairs.keys.forEach((key, i) => this.add(key, pairs.minutes[i]));
  }
}
