import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../../common/intervals.js';
import { RedisConnection } from '../../redis/redis-connection.js';
import { AlertLifecycle } from './alert-lifecycle.js';
import { AlertStoreRepository } from './alert-store.repository.js';
import { EventEvaluator } from './event-evaluator.js';
import { LogEvaluator } from './log-evaluator.js';
import { MetricEvaluator } from './metric-evaluator.js';
import { PresenceEvaluator } from './presence-evaluator.js';
import { RuleBook } from './rule-book.js';

const TICK_MS = 2_000;
/** A metric series silent this long (and at least twice its span) resolves its alerts: the container stopped or went away. */
const STALE_MIN_MS = 60_000;
/** A series unseen this long is forgotten. */
const FORGET_MS = 60 * 60_000;
/** With several instances, firing alerts are read back every this many ticks (AlertLifecycle.syncFiring). */
const SYNC_EVERY_TICKS = 2;

/**
 * What time alone changes: restart loops and log matches that age out, series that stop, hosts
 * that go silent, alerts whose rule was deleted or disabled, reminders that fall due; and, with
 * several instances, what the others opened and resolved.
 */
@Injectable()
export class AlertTicker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertTicker.name);
  private running = false;
  private ticks = 0;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly rules: RuleBook,
    private readonly lifecycle: AlertLifecycle,
    private readonly store: AlertStoreRepository,
    private readonly metrics: MetricEvaluator,
    private readonly events: EventEvaluator,
    private readonly logs: LogEvaluator,
    private readonly presence: PresenceEvaluator,
    private readonly redis: RedisConnection,
  ) {}

  onApplicationBootstrap(): void {
    startInterval(this.scheduler, 'alerts-tick', TICK_MS, () => void this.tick());
  }

  onModuleDestroy(): void {
    stopInterval(this.scheduler, 'alerts-tick');
  }

  async tick(now = Date.now()): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.events.reconsider(now);
      this.logs.reconsider(now);
      this.staleSeries(now);
      this.retireOrphans();
      await this.presence.check(now);
      await this.reminders();
      if (this.redis.enabled && this.ticks++ % SYNC_EVERY_TICKS === 0) await this.lifecycle.syncFiring();
    } catch (error) {
      this.logger.warn(`Alert housekeeping failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  private staleSeries(now: number): void {
    for (const [series, type] of [
      [this.metrics.all('container'), 'container_metric'],
      [this.metrics.all('host'), 'host_metric'],
    ] as const) {
      for (const [id, state] of series) {
        const silentFor = now - state.lastSeen;
        // Unseen for long, or its organization no longer has such rules: its windows are let go.
        if (silentFor > FORGET_MS || !this.rules.of(state.subject.organizationId, type).length) {
          series.delete(id);
          continue;
        }
        if (this.lifecycle.hostOffline(state.subject.hostId)) continue;
        for (const rule of state.rules) {
          if (silentFor > Math.max(STALE_MIN_MS, 2 * rule.spanMs)) this.lifecycle.verdict(rule, state.subject, false);
        }
      }
    }
  }

  /** An alert whose rule was deleted or disabled resolves. */
  private retireOrphans(): void {
    if (this.rules.version === 0) return;
    for (const alert of [...this.lifecycle.firing()]) if (!this.rules.rule(alert.ruleId)) this.lifecycle.retire(alert);
  }

  private async reminders(): Promise<void> {
    const sent: Parameters<AlertLifecycle['announce']>[] = [];
    await this.store.sql.transaction(async (tx) => {
      for (const row of await this.store.dueReminders(tx)) {
        const rule = this.rules.rule(row.rule_id!);
        if (!rule || this.rules.silenceFor(row.organization_id, { hostId: row.host_id, containerId: row.container_id, ruleId: rule.id })) continue;
        if (row.container_id && this.lifecycle.hostOffline(row.host_id)) continue;
        sent.push([row, 'repeat', await this.lifecycle.notify(tx, rule, row, 'repeat')]);
      }
    });
    for (const args of sent) this.lifecycle.announce(...args);
  }
}
