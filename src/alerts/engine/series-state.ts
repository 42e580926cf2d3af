import type { CompiledRule } from './compiled-rule.js';
import { alertKey, type AlertSubject } from './alert-lifecycle.js';
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
  /** The distinct windows the rules read, each fed once a sample. */
  watches: { metric: string; window: MeanWindow }[] = [];
  /** Each rule with the window it reads. */
  checks: { rule: CompiledRule; window: MeanWindow; key: string }[] = [];
  /** Wall-clock time of the last sample: a series that stops is resolved after a while. */
  lastSeen = Date.now();

  constructor(readonly subject: AlertSubject) {}

  /** Sets the rules that watch this series and the windows they read; windows no rule reads are dropped. */
  watch(rules: CompiledRule[], version: number): void {
    this.rules = rules;
    this.rulesVersion = version;
    this.checks = rules.map((rule) => ({ rule, window: this.window((rule.condition as { metric: string }).metric, rule.spanMs), key: alertKey(rule, this.subject) }));
    const kept = new Set(this.checks.map((check) => check.window));
    for (const [key, window] of this.windows) if (!kept.has(window)) this.windows.delete(key);
    this.watches = [...this.windows].map(([key, window]) => ({ metric: key.slice(0, key.indexOf('/')), window }));
  }

  private window(metric: string, spanMs: number): MeanWindow {
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
