import type { CompiledRule } from './compiled-rule.js';
import { alertKey, type AlertSubject } from './alert-lifecycle.js';
import { MeanWindow } from './mean-window.js';

/** The engine's cumulative counters a rate can be read from, by position. */
export const COUNTERS = 4;

/** One container's or host's windows, shared by every rule that watches the same metric over the same span. */
export class SeriesState {
  private readonly windows = new Map<string, MeanWindow>();
  private previousTs = Number.NaN;
  private readonly previous = new Float64Array(COUNTERS);
  rules: CompiledRule[] = [];
  rulesVersion = -1;
  /** The directory's facts the rules were matched against. */
  facts?: object;
  /** The distinct windows the rules read, each fed once a sample, with the position of its metric. */
  watches: { metric: number; window: MeanWindow }[] = [];
  /** Each rule with the window it reads. */
  checks: { rule: CompiledRule; window: MeanWindow; key: string }[] = [];
  /** Wall-clock time of the last sample: a series that stops is resolved after a while. */
  lastSeen = Date.now();

  constructor(readonly subject: AlertSubject) {}

  /**
   * Sets the rules that watch this series and the windows they read (metrics by their position
   * in `metrics`); windows no rule reads any more are dropped.
   */
  watch(rules: CompiledRule[], version: number, metrics: readonly string[]): void {
    this.rules = rules;
    this.rulesVersion = version;
    this.checks = rules.map((rule) => ({ rule, window: this.window((rule.condition as { metric: string }).metric, rule.spanMs), key: alertKey(rule, this.subject) }));
    const kept = new Set(this.checks.map((check) => check.window));
    for (const [key, window] of this.windows) if (!kept.has(window)) this.windows.delete(key);
    this.watches = [...this.windows].map(([key, window]) => ({ metric: metrics.indexOf(key.slice(0, key.indexOf('/'))), window }));
  }

  private window(metric: string, spanMs: number): MeanWindow {
    const key = `${metric}/${spanMs}`;
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new MeanWindow(spanMs)));
    return window;
  }

  /**
   * Writes the per-second rates of `counters` since the previous sample into `out` (same
   * positions): NaN for the first sample, an older one, and a counter that went back (a restart).
   */
  rates(ts: number, counters: Float64Array, out: Float64Array): void {
    const seconds = (ts - this.previousTs) / 1000;
    const usable = seconds > 0;
    for (let i = 0; i < COUNTERS; i++) {
      const delta = counters[i] - this.previous[i];
      out[i] = usable && delta >= 0 ? delta / seconds : Number.NaN;
    }
    if (usable || Number.isNaN(this.previousTs)) {
      this.previousTs = ts;
      this.previous.set(counters);
    }
  }
}
