import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { AgentContext } from '../../ingest/frame-handler.js';
import { TelemetryKinds } from '../../ingest/telemetry-kinds.js';
import type { ContainerEventCondition } from '../alert-rule.js';
import { AlertLifecycle, type AlertSubject } from './alert-lifecycle.js';
import type { CompiledRule } from './compiled-rule.js';
import { CrashContextRepository } from './crash-context.repository.js';
import { EngineRepository, type AskedAction } from './engine.repository.js';
import { EvaluationQueue } from './evaluation-queue.js';
import { sampleTime } from './metric-values.js';
import { RuleBook } from './rule-book.js';
import { SubjectDirectory } from './subject-directory.js';

/** `restart_loop`: this many starts … */
export const LOOP_STARTS = 3;
/** … within this long. */
export const LOOP_WINDOW_MS = 5 * 60_000;
/** An exit or start this soon after a DockPulse action on the container was caused by it. */
const ACTION_CAUSE_MS = 2 * 60_000;
/** … or at most this long before it: the agent's clock and ours differ a little. */
const ACTION_CLOCK_SKEW_MS = 5_000;
/** A container with nothing wrong and no event for this long is forgotten (its events are caught up again if it comes back). */
const FORGET_MS = 60 * 60_000;

interface EventRow {
  container_id: string;
  ts: string | Date;
  action: string;
  exit_code: number | null;
  health: string | null;
}

/** What is currently true of one container, as its events tell. */
class ContainerIncidents {
  died?: { ts: number; exitCode: number };
  oomAt?: number;
  unhealthy = false;
  starts: number[] = [];
  rules: CompiledRule[] = [];
  rulesVersion = -1;
  facts?: object;
  /** Wall-clock time of its last event: a quiet, healthy container is forgotten after a while. */
  touched = Date.now();

  constructor(readonly subject: AlertSubject) {}

  quiet(now: number): boolean {
    return this.died === undefined && this.oomAt === undefined && !this.unhealthy && !this.looping(now);
  }

  looping(now: number): boolean {
    this.starts = this.starts.filter((ts) => ts > now - LOOP_WINDOW_MS);
    return this.starts.length >= LOOP_STARTS;
  }

  holds(event: ContainerEventCondition, now: number): boolean {
    switch (event) {
      case 'died':
        return this.died !== undefined;
      case 'oom_killed':
        return this.oomAt !== undefined;
      case 'unhealthy':
        return this.unhealthy;
      case 'restart_loop':
        return this.looping(now);
    }
  }
}

/**
 * `container_event` conditions: `died` (a non-zero exit no DockPulse action asked for) and
 * `oom_killed` hold from the exit until the container starts again, `unhealthy` until it reports
 * healthy, `restart_loop` while it started LOOP_STARTS times within LOOP_WINDOW_MS. A crash opens
 * its alert even when the container is back a moment later; the alert then keeps what was true
 * at that moment (crash context).
 */
@Injectable()
export class EventEvaluator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(EventEvaluator.name);
  readonly queue = new EvaluationQueue(this.logger);
  private readonly containers = new Map<string, ContainerIncidents>();
  private stop?: () => void;

  constructor(
    private readonly kinds: TelemetryKinds,
    private readonly rules: RuleBook,
    private readonly directory: SubjectDirectory,
    private readonly lifecycle: AlertLifecycle,
    private readonly repository: EngineRepository,
    private readonly crashes: CrashContextRepository,
  ) {}

  onModuleInit(): void {
    this.stop = this.kinds.onCommitted<EventRow>('container_events', (agent, rows) => {
      if (this.rules.of(agent.organizationId, 'container_event').length) this.queue.push(agent.hostId, () => this.events(agent, rows));
    });
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  /** Restart loops end with time, not with an event: the housekeeping tick asks. */
  reconsider(now = Date.now()): void {
    for (const [id, incidents] of this.containers) {
      if (now - incidents.touched > FORGET_MS && incidents.quiet(now)) {
        this.containers.delete(id);
        continue;
      }
      // A silent host's containers are left as they were until it is back.
      if (incidents.starts.length && !this.lifecycle.hostOffline(incidents.subject.hostId)) this.judge(incidents, now);
    }
  }

  private async events(agent: AgentContext, rows: EventRow[]): Promise<void> {
    await this.directory.ensureContainers(rows.map((row) => row.container_id));
    const watched: EventRow[] = [];
    const fresh = new Map<string, { incidents: ContainerIncidents; before: number }>();
    for (const row of rows) {
      const facts = this.directory.container(row.container_id);
      if (!facts) continue;
      let incidents = this.containers.get(row.container_id);
      if (!incidents) {
        const name = facts.name?.replace(/^\//, '') ?? row.container_id;
        incidents = new ContainerIncidents({ organizationId: agent.organizationId, hostId: facts.hostId, containerId: row.container_id, name });
        this.containers.set(row.container_id, incidents);
        fresh.set(row.container_id, { incidents, before: sampleTime(row.ts) });
      }
      if (incidents.rulesVersion !== this.rules.version || incidents.facts !== facts) {
        incidents.facts = facts;
        incidents.rules = this.rules.applicable(agent.organizationId, 'container_event', facts);
        incidents.rulesVersion = this.rules.version;
      }
      if (incidents.rules.length) watched.push(row);
    }
    if (!watched.length) return;
    // Two reads for the whole frame, whatever its size: what came before (after a restart) and which actions were asked.
    await this.catchUp([...fresh.values()]);
    const times = watched.map((row) => sampleTime(row.ts));
    const asked = watched.some((row) => row.action === 'die' || row.action === 'start')
      ? await this.repository.actionsAsked(agent.hostId, new Date(Math.min(...times) - ACTION_CAUSE_MS), new Date(Math.max(...times) + ACTION_CLOCK_SKEW_MS))
      : [];
    for (const row of watched) {
      const incidents = this.containers.get(row.container_id)!;
      incidents.touched = Date.now();
      const trigger = this.apply(incidents, row, asked);
      this.judge(incidents, Date.now(), trigger);
    }
  }

  /** After a restart, the events of the last LOOP_WINDOW_MS before each container's first new one say what is still true. */
  private async catchUp(fresh: { incidents: ContainerIncidents; before: number }[]): Promise<void> {
    if (!fresh.length) return;
    const since = new Date(Math.min(...fresh.map((f) => f.before)) - LOOP_WINDOW_MS);
    const byId = new Map(fresh.map((f) => [f.incidents.subject.containerId!, f]));
    for (const row of await this.repository.recentEvents([...byId.keys()], since)) {
      const { incidents, before } = byId.get(row.container_id)!;
      const ts = sampleTime(row.ts);
      if (ts >= before || ts <= before - LOOP_WINDOW_MS) continue;
      if (row.action === 'die' && row.exit_code) incidents.died = { ts, exitCode: row.exit_code };
      else if (row.action === 'oom') incidents.oomAt = ts;
      else if (row.action === 'health_status') incidents.unhealthy = row.health === 'unhealthy' || (incidents.unhealthy && row.health !== 'healthy');
      else if (row.action === 'start') {
        incidents.died = undefined;
        incidents.oomAt = undefined;
        incidents.starts.push(ts);
      }
    }
  }

  /** Updates what is true of the container; returns the condition this event triggered, if any. */
  private apply(incidents: ContainerIncidents, row: EventRow, asked: AskedAction[]): { event: ContainerEventCondition; at: Date; exitCode: number | null } | undefined {
    const ts = sampleTime(row.ts);
    const at = new Date(ts);
    const causedBy = (actions: string[]) =>
      asked.some((a) => a.containerId === row.container_id && actions.includes(a.action) && a.createdAt.getTime() >= ts - ACTION_CAUSE_MS && a.createdAt.getTime() <= ts + ACTION_CLOCK_SKEW_MS);
    switch (row.action) {
      case 'die':
        if (!row.exit_code) return undefined;
        if (causedBy(['stop', 'restart'])) return undefined;
        incidents.died = { ts, exitCode: row.exit_code };
        return { event: 'died', at, exitCode: row.exit_code };
      case 'oom':
        incidents.oomAt = ts;
        return { event: 'oom_killed', at, exitCode: 137 };
      case 'start':
        incidents.died = undefined;
        incidents.oomAt = undefined;
        if (!causedBy(['start', 'restart'])) incidents.starts.push(ts);
        return incidents.looping(Date.now()) ? { event: 'restart_loop', at, exitCode: null } : undefined;
      case 'health_status':
        if (row.health === 'unhealthy' && !incidents.unhealthy) {
          incidents.unhealthy = true;
          return { event: 'unhealthy', at, exitCode: null };
        }
        if (row.health === 'healthy') incidents.unhealthy = false;
        return undefined;
      case 'destroy':
        incidents.died = undefined;
        incidents.oomAt = undefined;
        incidents.unhealthy = false;
        incidents.starts = [];
        return undefined;
      default:
        return undefined;
    }
  }

  private judge(incidents: ContainerIncidents, now: number, trigger?: { event: ContainerEventCondition; at: Date; exitCode: number | null }): void {
    for (const rule of incidents.rules) {
      const events = (rule.condition as { events: ContainerEventCondition[] }).events;
      const holds = events.some((event) => incidents.holds(event, now));
      const triggered = trigger && events.includes(trigger.event) ? trigger : undefined;
      const cause = triggered ?? this.firstHolding(events, incidents, now);
      this.lifecycle.verdict(rule, incidents.subject, holds, () => this.opening(incidents, cause), Boolean(triggered));
    }
  }

  private firstHolding(events: ContainerEventCondition[], incidents: ContainerIncidents, now: number) {
    const event = events.find((e) => incidents.holds(e, now));
    return event && { event, at: new Date(now), exitCode: incidents.died?.exitCode ?? null };
  }

  private opening(incidents: ContainerIncidents, cause: { event: ContainerEventCondition; at: Date; exitCode: number | null } | undefined) {
    const { subject } = incidents;
    const event = cause?.event ?? 'died';
    const message = {
      died: `${subject.name} exited with code ${cause?.exitCode ?? incidents.died?.exitCode}`,
      oom_killed: `${subject.name} was killed for running out of memory`,
      unhealthy: `${subject.name} is unhealthy`,
      restart_loop: `${subject.name} is restarting in a loop (${incidents.starts.length} starts within ${LOOP_WINDOW_MS / 60_000} minutes)`,
    }[event];
    const at = cause?.at ?? new Date();
    const crash = { exitCode: cause?.exitCode ?? incidents.died?.exitCode ?? null, oomKilled: event === 'oom_killed' || incidents.oomAt !== undefined };
    return {
      value: cause?.exitCode ?? null,
      message,
      context: async () => ({ event, ...(await this.crashes.read(subject.containerId!, subject.hostId, at, crash)) }),
    };
  }
}
