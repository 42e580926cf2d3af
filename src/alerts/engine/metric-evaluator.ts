import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AgentContext } from '../../ingest/frame-handler.js';
import { TelemetryKinds } from '../../ingest/telemetry-kinds.js';
import { CONTAINER_METRICS, HOST_METRICS } from '../alert-rule.js';
import { formatDuration } from '../../config/duration.js';
import { AlertLifecycle, type AlertSubject } from './alert-lifecycle.js';
import type { CompiledRule } from './compiled-rule.js';
import { CATCH_UP_MAX_MS, EngineRepository } from './engine.repository.js';
import { EvaluationQueue } from './evaluation-queue.js';
import { containerValues, hostValues, rowTime, SampleColumns, type SampleRow } from './metric-values.js';
import { RuleBook } from './rule-book.js';
import { SeriesState } from './series-state.js';
import { SubjectDirectory } from './subject-directory.js';

type Target = 'container' | 'host';

/** Series first seen this long after start-up read their recent samples from the database (a restart's agents are back by then). */
const CATCH_UP_AFTER_START_MS = 10 * 60_000;

/** One series' samples of a frame, reused for every series: the hot path allocates nothing per sample. */
const COLUMNS = new SampleColumns();
/** One series' means of a frame, by probe (NaN while not covered), reused for every series like COLUMNS. */
let means = new Float64Array(64);

const describe = (value: number) => (Math.abs(value) >= 1000 ? value.toFixed(0) : value.toFixed(2).replace(/\.?0+$/, ''));

/**
 * `container_metric` and `host_metric` conditions, on the committed samples: each sample goes
 * into its series' rings (one per bucket width, holding each metric watched over its spans), and
 * each applicable rule compares its span's mean with its threshold. An organization without
 * such rules costs one map lookup per frame.
 */
@Injectable()
export class MetricEvaluator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MetricEvaluator.name);
  readonly queue = new EvaluationQueue(this.logger);
  private readonly series = { container: new Map<string, SeriesState>(), host: new Map<string, SeriesState>() };
  private readonly stops: (() => void)[] = [];
  private readonly startedAt = Date.now();

  constructor(
    private readonly kinds: TelemetryKinds,
    private readonly rules: RuleBook,
    private readonly directory: SubjectDirectory,
    private readonly lifecycle: AlertLifecycle,
    private readonly repository: EngineRepository,
  ) {}

  onModuleInit(): void {
    this.stops.push(
      this.kinds.onCommitted<SampleRow>('metrics', (agent, rows) => {
        if (this.rules.of(agent.organizationId, 'container_metric').length) this.queue.offer(agent.hostId, () => this.containers(agent, rows));
      }),
      this.kinds.onCommitted<SampleRow>('host_metrics', (agent, rows) => {
        if (this.rules.of(agent.organizationId, 'host_metric').length) this.queue.offer(agent.hostId, () => this.host(agent, rows));
      }),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.stops) stop();
  }

  /** Series of this target, for the housekeeping tick. */
  all(target: Target): Map<string, SeriesState> {
    return this.series[target];
  }

  private async containers(agent: AgentContext, rows: SampleRow[]): Promise<void> {
    const byContainer = groupBy(rows, 'container_id');
    const ids = [...byContainer.keys()];
    await this.directory.ensureContainers(ids);
    const fresh: SeriesState[] = [];
    const states = new Map<string, SeriesState>();
    for (const id of ids) {
      const facts = this.directory.container(id);
      if (!facts) continue;
      let state = this.series.container.get(id);
      if (!state) {
        state = new SeriesState({ organizationId: agent.organizationId, hostId: facts.hostId, containerId: id, name: facts.name?.replace(/^\//, '') ?? id });
        this.series.container.set(id, state);
        fresh.push(state);
      }
      // New rules, or the container's name or labels read again (a scope may match differently).
      if (state.rulesVersion !== this.rules.version || state.facts !== facts) {
        state.facts = facts;
        state.watch(this.rules.applicable(agent.organizationId, 'container_metric', facts), this.rules.version, CONTAINER_METRICS);
      }
      if (state.rules.length) states.set(id, state);
    }
    await this.catchUp('container', fresh, rows);
    const now = Date.now();
    for (const [id, state] of states) {
      this.feed('container', state, byContainer.get(id)!);
      state.lastSeen = now;
      this.judge(state);
    }
  }

  private async host(agent: AgentContext, rows: SampleRow[]): Promise<void> {
    await this.directory.ensureHosts([agent.hostId]);
    const facts = this.directory.host(agent.hostId);
    if (!facts) return;
    let state = this.series.host.get(agent.hostId);
    const fresh = !state;
    if (!state) {
      state = new SeriesState({ organizationId: agent.organizationId, hostId: agent.hostId, containerId: null, name: facts.name });
      this.series.host.set(agent.hostId, state);
    }
    if (state.rulesVersion !== this.rules.version) state.watch(this.rules.applicable(agent.organizationId, 'host_metric', { hostId: agent.hostId }), this.rules.version, HOST_METRICS);
    if (fresh) await this.catchUp('host', [state], rows);
    if (!state.rules.length) return;
    this.feed('host', state, rows);
    state.lastSeen = Date.now();
    this.judge(state);
  }

  /** After a restart, a series' rings start from the samples already stored, not from empty. */
  private async catchUp(target: Target, states: SeriesState[], rows: SampleRow[]): Promise<void> {
    // A restart is what catch-up is for; later, a new rule or container starts from live samples.
    if (Date.now() - this.startedAt > CATCH_UP_AFTER_START_MS) return;
    // Only rules that were on before the restart had totals to restore.
    const restored = (state: SeriesState) => state.rules.filter((rule) => this.rules.enabledAtStartup(rule.id));
    const watched = states.filter((state) => restored(state).length);
    if (!watched.length) return;
    const span = Math.min(CATCH_UP_MAX_MS, Math.max(...watched.flatMap((state) => restored(state).map((rule) => rule.spanMs))));
    // The span before this frame's first sample (agents stamp samples; a resent backlog is in the past).
    const since = new Date(Math.min(...rows.map(rowTime)) - span);
    const ids = watched.map((state) => (target === 'container' ? state.subject.containerId! : state.subject.hostId));
    const stored =
      target === 'container' ? await this.repository.recentContainerMetrics(ids, since) : await this.repository.recentHostMetrics(ids, since);
    const byId = groupBy(stored as SampleRow[], target === 'container' ? 'container_id' : 'host_id');
    watched.forEach((state, i) => this.feed(target, state, byId.get(ids[i]) ?? []));
  }

  /** Feeds one series' samples (in time order) to each ring its rules read, a ring at a time. */
  private feed(target: Target, state: SeriesState, rows: SampleRow[]): void {
    COLUMNS.reserve(rows.length);
    const values = target === 'container' ? containerValues : hostValues;
    for (let i = 0; i < rows.length; i++) values(state, rowTime(rows[i]), rows[i], COLUMNS, i);
    for (const ring of state.watchedRings) ring.addMany(COLUMNS.times, COLUMNS.values, rows.length);
  }

  /**
   * Once a frame's samples are in: each mean the rules read is taken once, and each rule compares
   * it with its threshold. Whether a rule's alert is wanted is asked of the lifecycle again only
   * after it changed something (an alert opened or resolved anywhere).
   */
  private judge(state: SeriesState): void {
    const { probes, checks } = state;
    if (means.length < probes.length) means = new Float64Array(probes.length);
    for (let p = 0; p < probes.length; p++) means[p] = probes[p].ring.meanIfCovered(probes[p].metric, probes[p].span) ?? Number.NaN;
    const { probe, above, threshold, wanted, keys } = checks;
    if (checks.wantedAt !== this.lifecycle.changes) {
      checks.wantedAt = this.lifecycle.changes;
      for (let i = 0; i < keys.length; i++) wanted[i] = this.lifecycle.wantedKey(keys[i]) ? 1 : 0;
    }
    for (let i = 0; i < keys.length; i++) {
      const mean = means[probe[i]];
      if (Number.isNaN(mean)) continue;
      const holds = above[i] === 1 ? mean > threshold[i] : mean < threshold[i];
      if ((wanted[i] === 1) === holds) continue;
      const rule = checks.rules[i];
      this.lifecycle.verdict(rule, state.subject, holds, () => ({ value: mean, message: this.message(rule, state.subject, mean) }), false, keys[i]);
    }
  }

  private message(rule: CompiledRule, subject: AlertSubject, mean: number): string {
    const { metric, op, threshold } = rule.condition as { metric: string; op: string; threshold: number };
    return `${metric} of ${subject.name} averaged ${describe(mean)} over ${formatDuration(rule.spanMs)} (${op} ${threshold})`;
  }
}

/** Rows by the value of one of their columns, in their order. */
function groupBy(rows: SampleRow[], column: string): Map<string, SampleRow[]> {
  const groups = new Map<string, SampleRow[]>();
  for (const row of rows) {
    const key = row[column] as string;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
