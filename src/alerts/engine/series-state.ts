import type { CompiledRule } from './compiled-rule.js';
import { alertKey, type AlertSubject } from './alert-lifecycle.js';
import { bucketWidthOf, MeanRing } from './mean-ring.js';

/** The engine's cumulative counters a rate can be read from, by position. */
export const COUNTERS = 4;

/** A mean a series' rules read: a ring, and the positions of a metric and a span in it. */
export interface MeanProbe {
  ring: MeanRing;
  metric: number;
  span: number;
}

/**
 * A series' rules as columns, position i for each: the mean it compares (its position in the
 * series' probes), its comparison, and whether its alert is wanted as of the lifecycle's
 * `changes` count `wantedAt`. A frame's judge reads only these arrays while nothing changes,
 * instead of an object and an alert key per rule (350,000 of them for 10,000 containers).
 */
export class Checks {
  readonly probe: Int32Array;
  readonly above: Uint8Array;
  readonly threshold: Float64Array;
  readonly wanted: Uint8Array;
  wantedAt = -1;

  constructor(
    readonly rules: CompiledRule[],
    readonly keys: string[],
    probes: number[],
  ) {
    // Plain loops: TypedArray.from with a mapping function goes through the iterator protocol, and
    // a rule change rebuilds this for every series at once.
    const n = rules.length;
    this.probe = new Int32Array(n);
    this.above = new Uint8Array(n);
    this.threshold = new Float64Array(n);
    this.wanted = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const { op, threshold } = rules[i].condition as { op: string; threshold: number };
      this.probe[i] = probes[i];
      this.above[i] = op === '>' ? 1 : 0;
      this.threshold[i] = threshold;
    }
  }
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
  /** Each mean the rules read, once however many rules compare it (rules differ mostly by threshold and scope). */
  probes: MeanProbe[] = [];
  /** Each rule with the mean it compares. */
  checks = new Checks([], [], []);
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
    const probeOf = new Map<string, number>();
    this.probes = [];
    const probes = rules.map((rule) => {
      const ring = this.rings.get(bucketWidthOf(rule.spanMs))!;
      const [metric, span] = [ring.metrics.indexOf(position(rule)), ring.spans.indexOf(rule.spanMs)];
      const id = `${ring.bucketMs}:${metric}:${span}`;
      let probe = probeOf.get(id);
      if (probe === undefined) probeOf.set(id, (probe = this.probes.push({ ring, metric, span }) - 1));
      return probe;
    });
    // A rule's alert key stays what it was (rule id and subject): a rule change elsewhere builds none again.
    const keys = new Map(this.checks.rules.map((rule, i) => [rule.id, this.checks.keys[i]]));
    this.checks = new Checks(rules, rules.map((rule) => keys.get(rule.id) ?? alertKey(rule, this.subject)), probes);
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
