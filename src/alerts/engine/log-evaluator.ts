import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { formatDuration } from '../../config/duration.js';
import type { AgentContext } from '../../ingest/frame-handler.js';
import { TelemetryKinds } from '../../ingest/telemetry-kinds.js';
import { AlertLifecycle, type AlertSubject } from './alert-lifecycle.js';
import type { CompiledRule } from './compiled-rule.js';
import { EvaluationQueue } from './evaluation-queue.js';
import { sampleTime } from './metric-values.js';
import { RuleBook } from './rule-book.js';
import { SubjectDirectory } from './subject-directory.js';

interface LogRow {
  container_id: string;
  ts: string;
  stream: string;
  line: string;
}

/** The matching lines of one rule and container: only the last `count` times are kept. */
class Matches {
  times: number[] = [];

  constructor(
    readonly rule: CompiledRule,
    readonly subject: AlertSubject,
    readonly count: number,
  ) {}

  add(ts: number): void {
    this.times.push(ts);
    if (this.times.length > this.count) this.times.shift();
  }

  /** At least `count` matching lines within `within` of `now`. */
  holds(now: number): boolean {
    return this.times.length >= this.count && this.times[0] > now - this.rule.spanMs;
  }
}

interface ContainerLogRules {
  version: number;
  facts?: object;
  rules: CompiledRule[];
}

/**
 * `log_match` conditions: a case-insensitive substring over the committed lines of each
 * container in scope, counted within `within`. Fires on the line that makes `count`; resolves
 * (housekeeping tick) once fewer than `count` lines matched within the last `within`.
 */
@Injectable()
export class LogEvaluator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LogEvaluator.name);
  readonly queue = new EvaluationQueue(this.logger);
  private readonly applicable = new Map<string, ContainerLogRules>();
  private readonly matches = new Map<string, Matches>();
  private stop?: () => void;

  constructor(
    private readonly kinds: TelemetryKinds,
    private readonly rules: RuleBook,
    private readonly directory: SubjectDirectory,
    private readonly lifecycle: AlertLifecycle,
  ) {}

  onModuleInit(): void {
    this.stop = this.kinds.onCommitted<LogRow>('logs', (agent, rows) => {
      if (this.rules.of(agent.organizationId, 'log_match').length) this.queue.offer(agent.hostId, () => this.lines(agent, rows));
    });
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  reconsider(now = Date.now()): void {
    for (const [key, matches] of this.matches) {
      if (this.lifecycle.hostOffline(matches.subject.hostId)) continue;
      const holds = matches.holds(now);
      if (!holds && !matches.times.some((ts) => ts > now - matches.rule.spanMs)) this.matches.delete(key);
      this.lifecycle.verdict(matches.rule, matches.subject, holds);
    }
  }

  private async lines(agent: AgentContext, rows: LogRow[]): Promise<void> {
    await this.directory.ensureContainers(rows.map((row) => row.container_id));
    const now = Date.now();
    for (const row of rows) {
      const rules = this.rulesFor(agent, row.container_id);
      if (!rules.length) continue;
      let lower: string | undefined;
      for (const rule of rules) {
        const condition = rule.condition as { stream?: string; count: number };
        if (condition.stream && condition.stream !== row.stream) continue;
        lower ??= row.line.toLowerCase();
        if (!lower.includes(rule.needle!)) continue;
        const key = `${rule.id}|${row.container_id}`;
        let matches = this.matches.get(key);
        if (!matches) {
          const facts = this.directory.container(row.container_id)!;
          const subject = { organizationId: agent.organizationId, hostId: facts.hostId, containerId: row.container_id, name: facts.name?.replace(/^\//, '') ?? row.container_id };
          this.matches.set(key, (matches = new Matches(rule, subject, condition.count)));
        }
        matches.add(sampleTime(row.ts));
        const holds = matches.holds(now);
        if (holds) this.lifecycle.verdict(rule, matches.subject, true, () => this.opening(matches!, row.line));
      }
    }
  }

  private rulesFor(agent: AgentContext, containerId: string): CompiledRule[] {
    const cached = this.applicable.get(containerId);
    const facts = this.directory.container(containerId);
    if (cached && cached.version === this.rules.version && cached.facts === facts) return cached.rules;
    const rules = facts ? this.rules.applicable(agent.organizationId, 'log_match', facts) : [];
    this.applicable.set(containerId, { version: this.rules.version, facts, rules });
    return rules;
  }

  private opening(matches: Matches, line: string) {
    const { q } = matches.rule.condition as { q: string };
    return {
      value: matches.times.length,
      message: `${matches.subject.name} logged "${q}" ${matches.times.length} times within ${formatDuration(matches.rule.spanMs)}; last: ${line.slice(0, 200)}`,
    };
  }
}
