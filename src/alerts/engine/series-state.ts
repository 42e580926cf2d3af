import type { CompiledRule } from './compiled-rule.js';
import { alertKey, type AlertSubject } from './alert-lifecycle.js';
import { bucketWidthOf, MeanRing } from './mean-ring.js';

/** The engine's cumulative counters a rate can be read from, by position. */
export const COUNTERS = 4;

/** A rule of a series, with the ring it reads and the positions of its metric and span in that ring. */
export interface Check {
  rule: CompiledRule;
  ring: MeanRing;
  metric: number;
  span: number;
  /** The rule's comparison, read once here rather than from its condition at every frame. */
  above: boolean;
  threshold: number;
  key: string;
}

/** What a ring of one bucket width is asked for: the spans read from it and the metrics they read. */
interface RingNeeds {
  spans: Set<number>;
  metrics: Set<number>;
}

const sortedFloats = (values: Set<number>) => Float64Array.from([...values].sort((a, b) => a - b));
const sortedInts = (values: Set<number>) => Int32Array.from([...values].sort((a, b) => a - b));

/**
 * One container's or host's running totals: one ring per bucket width its rules' spans need
 * (one ring for every span up to two minutes), holding every metric those rules watch.
 */
export class SeriesState {
  private readonly rings = new Map<number, MeanRing>();
  private previousTs = Number.NaN;
  private readonly previous = new Float64Array(COUNTERS);
  rules: CompiledRule[] = [];
  rulesVersion = -1;
  /** The directory's facts the rules were matched against. */
  facts?: object;
  /** The rings the rules read, each fed once a frame. */
  watchedRings: MeanRing[] = [];
  /** Each rule with the ring it reads. */
  checks: Check[] = [];
  /** Wall-clock time of the last sample: a series that stops is resolved after a while. */
  lastSeen = Date.now();

  constructor(readonly subject: AlertSubject) {}

  /**
   * Sets the rules that watch this series and the rings they read (metrics by their position in
   * `metrics`). A ring keeps what it knows of the metrics and spans still read from it; rings no
   * rule reads any more are dropped.
   */
  watch(rules: CompiledRule[], version: number, metrics: readonly string[]): void {
    this.rules = rules;
    this.rulesVersion = version;
    const position = (rule: CompiledRule) => metrics.indexOf((rule.condition as { metric: string }).metric);
    const byWidth = new Map<number, RingNeeds>();
    for (const rule of rules) {
      const width = bucketWidthOf(rule.spanMs);
      const needs = byWidth.get(width) ?? { spans: new Set<number>(), metrics: new Set<number>() };
      needs.spans.add(rule.spanMs);
      needs.metrics.add(position(rule));
      byWidth.set(width, needs);
    }
    for (const width of this.rings.keys()) if (!byWidth.has(width)) this.rings.delete(width);
    for (const [width, needs] of byWidth) {
      const spans = sortedFloats(needs.spans);
      const watched = sortedInts(needs.metrics);
      const known = this.rings.get(width);
      if (!known) this.rings.set(width, new MeanRing(width, spans, watched));
      else if (known.spans.join() !== spans.join() || known.metrics.join() !== watched.join()) this.rings.set(width, known.reshaped(spans, watched));
    }
    this.watchedRings = [...this.rings.values()];
    this.checks = rules.map((rule) => {
      const ring = this.rings.get(bucketWidthOf(rule.spanMs))!;
      const { op, threshold } = rule.condition as { op: '>' | '<'; threshold: number };
      const [metric, span] = [ring.metrics.indexOf(position(rule)), ring.spans.indexOf(rule.spanMs)];
      return { rule, ring, metric, span, above: op === '>', threshold, key: alertKey(rule, this.subject) };
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
