import type { CompiledRule } from './compiled-rule.js';
import { alertKey, type AlertSubject } from './alert-lifecycle.js';
import { MeanWindow } from './mean-window.js';

/** The engine's cumulative counters a rate can be read from, by position. */
export const COUNTERS = 4;

/** A rule of a series, with the window it reads and its metric's position in that window. */
export interface Check {
  rule: CompiledRule;
  window: MeanWindow;
  metric: number;
  key: string;
}

/** One container's or host's windows: one per span its rules watch, holding every metric watched over that span. */
export class SeriesState {
  private readonly windows = new Map<number, MeanWindow>();
  private previousTs = Number.NaN;
  private readonly previous = new Float64Array(COUNTERS);
  rules: CompiledRule[] = [];
  rulesVersion = -1;
  /** The directory's facts the rules were matched against. */
  facts?: object;
  /** The windows the rules read, each fed once a frame. */
  watchedWindows: MeanWindow[] = [];
  /** Each rule with the window it reads. */
  checks: Check[] = [];
  /** Wall-clock time of the last sample: a series that stops is resolved after a while. */
  lastSeen = Date.now();

  constructor(readonly subject: AlertSubject) {}

  /**
   * Sets the rules that watch this series and the windows they read (metrics by their position
   * in `metrics`). A window keeps what it knows of the metrics still watched over its span;
   * windows no rule reads any more are dropped.
   */
  watch(rules: CompiledRule[], version: number, metrics: readonly string[]): void {
    this.rules = rules;
    this.rulesVersion = version;
    const bySpan = new Map<number, Set<number>>();
    for (const rule of rules) {
      const positions = bySpan.get(rule.spanMs) ?? new Set<number>();
      positions.add(metrics.indexOf((rule.condition as { metric: string }).metric));
      bySpan.set(rule.spanMs, positions);
    }
    for (const span of this.windows.keys()) if (!bySpan.has(span)) this.windows.delete(span);
    for (const [span, positions] of bySpan) {
      const wanted = Int32Array.from([...positions].sort((a, b) => a - b));
      const known = this.windows.get(span);
      if (!known) this.windows.set(span, new MeanWindow(span, wanted));
      else if (known.metrics.join() !== wanted.join()) this.windows.set(span, known.reshaped(wanted));
    }
    this.watchedWindows = [...this.windows.values()];
    this.checks = rules.map((rule) => {
      const window = this.windows.get(rule.spanMs)!;
      const metric = window.metrics.indexOf(metrics.indexOf((rule.condition as { metric: string }).metric));
      return { rule, window, metric, key: alertKey(rule, this.subject) };
    });
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
