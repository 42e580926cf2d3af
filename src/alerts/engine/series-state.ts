import type { CompiledRule } from './compiled-rule.js';
import type { AlertSubject } from './alert-lifecycle.js';
import { MeanWindow } from './mean-window.js';

/** Cumulative counters whose per-second rate a condition can watch. */
export interface Counters {
  networkRx: number;
  networkTx: number;
  blockRead?: number;
  blockWrite?: number;
}

/** One container's or host's windows, shared by every rule that watches the same metric over the same span. */
export class SeriesState {
  private readonly windows = new Map<string, MeanWindow>();
  private previous?: { ts: number; counters: Counters };
  rules: CompiledRule[] = [];
  rulesVersion = -1;
  /** Wall-clock time of the last sample: a series that stops is resolved after a while. */
  lastSeen = Date.now();

  constructor(readonly subject: AlertSubject) {}

  window(metric: string, spanMs: number): MeanWindow {
    const key = `${metric}/${spanMs}`;
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new MeanWindow(spanMs)));
    return window;
  }

  /** Per-second rates since the previous sample; NaN for the first one and after a counter reset. */
  rates(ts: number, counters: Counters): Record<keyof Counters, number> {
    const previous = this.previous;
    if (previous && ts <= previous.ts) return { networkRx: Number.NaN, networkTx: Number.NaN, blockRead: Number.NaN, blockWrite: Number.NaN };
    this.previous = { ts, counters };
    const rate = (key: keyof Counters) => {
      if (!previous) return Number.NaN;
      const delta = (counters[key] ?? Number.NaN) - (previous.counters[key] ?? Number.NaN);
      return delta >= 0 ? delta / ((ts - previous.ts) / 1000) : Number.NaN;
    };
    return { networkRx: rate('networkRx'), networkTx: rate('networkTx'), blockRead: rate('blockRead'), blockWrite: rate('blockWrite') };
  }
}
