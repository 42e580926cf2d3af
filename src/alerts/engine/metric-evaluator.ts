import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AgentContext } from '../../ingest/frame-handler.js';
import { TelemetryKinds } from '../../ingest/telemetry-kinds.js';
import { CONTAINER_METRICS, HOST_METRICS } from '../alert-rule.js';
import { formatDuration } from '../../config/duration.js';
import { AlertLifecycle, type AlertSubject } from './alert-lifecycle.js';
import type { CompiledRule } from './compiled-rule.js';
import { CATCH_UP_MAX_MS, EngineRepository } from './engine.repository.js';
import { EvaluationQueue } from './evaluation-queue.js';
import { containerValues, hostValues, sampleTime, type SampleRow } from './metric-values.js';
import { RuleBook } from './rule-book.js';
import { SeriesState } from './series-state.js';
import { SubjectDirectory } from './subject-directory.js';

type Target = 'container' | 'host';

/** Series first seen this long after start-up read their recent samples from the database (a restart's agents are back by then). */
const CATCH_UP_AFTER_START_MS = 10 * 60_000;

/** One sample's values by metric position, reused for every sample. */
const VALUES = new Float64Array(Math.max(CONTAINER_METRICS.length, HOST_METRICS.length));

const describe = (value: number) => (Math.abs(value) >= 1000 ? value.toFixed(0) : value.toFixed(2).replace(/\.?0+$/, ''));

/**
 * `container_metric` and `host_metric` conditions, on the committed samples: each sample goes
 * into its series' windows (one per metric and span, shared by the rules that watch them), and
 * each applicable rule compares the window's mean with its threshold. An organization without
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
    const ids = [...new Set(rows.map((row) => row.container_id as string))];
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
    for (const row of rows) {
      const state = states.get(row.container_id as string);
      if (state) this.sample('container', state, row);
    }
    for (const state of states.values()) this.judge(state);
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
    for (const row of rows) this.sample('host', state, row);
    this.judge(state);
  }

  /** After a restart, a series' windows start from the samples already stored, not from empty. */
  private async catchUp(target: Target, states: SeriesState[], rows: SampleRow[]): Promise<void> {
    // A restart is what catch-up is for; later, a new rule or container starts from live samples.
    if (Date.now() - this.startedAt > CATCH_UP_AFTER_START_MS) return;
    const watched = states.filter((state) => state.rules.length);
    if (!watched.length) return;
    const span = Math.min(CATCH_UP_MAX_MS, Math.max(...watched.flatMap((state) => state.rules.map((rule) => rule.spanMs))));
    // The span before this frame's first sample (agents stamp samples; a resent backlog is in the past).
    const since = new Date(Math.min(...rows.map((row) => sampleTime(row.ts))) - span);
    const ids = watched.map((state) => (target === 'container' ? state.subject.containerId! : state.subject.hostId));
    const stored =
      target === 'container' ? await this.repository.recentContainerMetrics(ids, since) : await this.repository.recentHostMetrics(ids, since);
    const byId = new Map(watched.map((state, i) => [ids[i], state]));
    for (const row of stored as SampleRow[]) {
      const state = byId.get((target === 'container' ? row.container_id : row.host_id) as string);
      if (state) this.sample(target, state, row);
    }
  }

  /** Feeds one sample to each window the series' rules read. */
  private sample(target: Target, state: SeriesState, row: SampleRow): void {
    const ts = sampleTime(row.ts);
    if (target === 'container') containerValues(state, ts, row, VALUES);
    else hostValues(state, ts, row, VALUES);
    for (const { metric, window } of state.watches) window.add(ts, VALUES[metric]);
    state.lastSeen = Date.now();
  }

  /** Once a frame's samples are in: each rule compares its window's mean with its threshold. */
  private judge(state: SeriesState): void {
    for (const { rule, window, key } of state.checks) {
      const mean = window.meanIfCovered();
      if (mean === undefined) continue;
      const { op, threshold } = rule.condition as { op: '>' | '<'; threshold: number };
      const holds = op === '>' ? mean > threshold : mean < threshold;
      if (this.lifecycle.wantedKey(key) === holds) continue;
      this.lifecycle.verdict(rule, state.subject, holds, () => ({ value: mean, message: this.message(rule, state.subject, mean) }), false, key);
    }
  }

  private message(rule: CompiledRule, subject: AlertSubject, mean: number): string {
    const { metric, op, threshold } = rule.condition as { metric: string; op: string; threshold: number };
    return `${metric} of ${subject.name} averaged ${describe(mean)} over ${formatDuration(rule.spanMs)} (${op} ${threshold})`;
  }
}
