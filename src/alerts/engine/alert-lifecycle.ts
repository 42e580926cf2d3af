import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { isForeignKeyViolation } from '../../database/database-errors.js';
import { Semaphore } from '../../database/semaphore.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { AlertRow } from '../alert-row.js';
import type { FiringRow } from './alert-store.repository.js';
import { AlertEvents } from '../alert-events.js';
import type { AlertEventName } from '../alert.view.js';
import { Outbox } from '../outbox/outbox.js';
import type { CompiledRule } from './compiled-rule.js';
import { AlertStoreRepository } from './alert-store.repository.js';
import { RuleBook } from './rule-book.js';

/** Who an alert is about. */
export interface AlertSubject {
  organizationId: string;
  hostId: string;
  containerId: string | null;
  name: string;
}

/** What the alert says when it opens. */
export interface Opening {
  value: number | null;
  /** Written from the context when it needs it. */
  message: string | ((context: Record<string, unknown> | null) => string);
  /** Read just before the alert is written (crash context, affected containers). */
  context?: () => Promise<Record<string, unknown> | null>;
}

interface Wish {
  open: boolean;
  rule: CompiledRule;
  subject: AlertSubject;
  opening?: () => Opening;
  attempt: number;
  /** An opening caused by an event (a crash): it happens even if the condition clears right after. */
  sticky?: boolean;
  /** What was asked after a sticky opening, applied once it is written. */
  then?: Wish;
}

export interface FiringAlert {
  id: string;
  ruleId: string;
  subjectKey: string;
  hostId: string;
  containerId: string | null;
  mutedBy: string | null;
}

/** Transactions writing alerts at once; a storm queues here instead of exhausting connections. */
const WRITERS = 4;
const RETRIES = 5;
/** A container event condition fires again within this long of resolving: the same alert, not a new one. */
const EVENT_FLAP_MS = 5 * 60_000;

export const subjectKey = (subject: Pick<AlertSubject, 'hostId' | 'containerId'>) => subject.containerId ?? subject.hostId;
const keyOf = (ruleId: string, subject: string) => `${ruleId}|${subject}`;
/** The in-memory key of a rule's alert about a subject; hot paths compute it once and pass it to `verdict`. */
export const alertKey = (rule: CompiledRule, subject: AlertSubject) => keyOf(rule.id, subjectKey(subject));

/**
 * Opens and resolves alerts as the evaluators' verdicts change, exactly once per rule and subject:
 * the latest verdict per alert wins, writes for one alert never overlap, the database's unique
 * index settles races with other instances, and what is firing is read back at start-up so a
 * restart neither fires an alert again nor forgets to resolve it.
 */
@Injectable()
export class AlertLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertLifecycle.name);
  private readonly firingAlerts = new Map<string, FiringAlert>();
  private readonly wishes = new Map<string, Wish>();
  private readonly busy = new Set<string>();
  private readonly writers = new Semaphore(WRITERS);
  /** Hosts with a firing `host_offline` alert: their containers' alerts open muted. */
  private readonly offlineHosts = new Map<string, number>();
  /**
   * Counts changes to what is wanted or firing: an evaluator that saw the same count before knows
   * its alerts' `wantedKey` answers are the same, without asking again for each.
   */
  changes = 0;
  /** Alerts this instance opened or resolved while `syncFiring` read the database: what it read of them is older. */
  private changedWhileSyncing?: Set<string>;

  constructor(
    private readonly store: AlertStoreRepository,
    private readonly outbox: Outbox,
    private readonly events: AlertEvents,
    private readonly rules: RuleBook,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rules.reload();
    for (const row of await this.store.firing()) this.remember(row);
  }

  isFiring(ruleId: string, subject: string): boolean {
    return this.firingAlerts.has(keyOf(ruleId, subject));
  }

  /** Whether the alert is firing or about to be, as far as this instance knows. */
  wanted(ruleId: string, subject: string): boolean {
    return this.wantedKey(keyOf(ruleId, subject));
  }

  /** `wanted` by precomputed key (alertKey): the hot path asks before building an opening. */
  wantedKey(key: string): boolean {
    const wish = this.wishes.get(key);
    return wish ? (wish.then ?? wish).open : this.firingAlerts.has(key);
  }

  firing(): IterableIterator<FiringAlert> {
    return this.firingAlerts.values();
  }

  hostOffline(hostId: string): boolean {
    return this.offlineHosts.has(hostId);
  }

  /** The rule's condition holds (or not) for the subject now; acts only when that changes the alert. */
  verdict(rule: CompiledRule, subject: AlertSubject, holds: boolean, opening?: () => Opening, sticky = false, key = alertKey(rule, subject)): void {
    if (this.wantedKey(key) === holds) return;
    const wish: Wish = { open: holds, rule, subject, opening, attempt: 0, sticky: sticky && holds };
    const pending = this.wishes.get(key);
    if (pending?.sticky && pending.open) pending.then = wish;
    else this.wishes.set(key, wish);
    this.changes++;
    if (!this.busy.has(key)) void this.settle(key);
  }

  /**
   * Several instances: learns the alerts other instances opened and forgets those they resolved,
   * so that this instance's next verdict on such an alert acts on it (a host whose agent moved
   * here brings its firing alerts along). Alerts with a write under way here are left alone.
   */
  async syncFiring(): Promise<void> {
    this.changedWhileSyncing = new Set();
    try {
      const rows = new Map((await this.store.firingKeys()).map((row) => [keyOf(row.rule_id!, row.subject_key), row]));
      const settled = (key: string) => !this.busy.has(key) && !this.wishes.has(key) && !this.changedWhileSyncing!.has(key);
      const gone = [...this.firingAlerts].filter(([key, alert]) => rows.get(key)?.id !== alert.id && settled(key));
      // An alert of a rule not read here yet waits for the next sync: unknown, it would be retired as an orphan.
      const found = [...rows].filter(([key, row]) => this.firingAlerts.get(key)?.id !== row.id && settled(key) && this.rules.rule(row.rule_id!));
      for (const [, alert] of gone) this.forget(alert);
      for (const [, row] of found) this.remember(row);
    } finally {
      this.changedWhileSyncing = undefined;
    }
  }

  /** Resolves a firing alert whose rule is gone or disabled. */
  retire(alert: FiringAlert): void {
    void this.writers.run(() => this.resolve(alert, undefined)).catch((error) => this.logger.warn(`Resolving alert ${alert.id} failed: ${(error as Error).message}`));
  }

  /** Applies the latest wish for one alert until none is left, one write at a time. */
  private async settle(key: string): Promise<void> {
    this.busy.add(key);
    try {
      for (let wish = this.wishes.get(key); wish; wish = this.wishes.get(key)) {
        if (wish.then) this.wishes.set(key, wish.then);
        else this.wishes.delete(key);
        wish.then = undefined;
        this.changes++;
        try {
          const firing = this.firingAlerts.get(key);
          if (wish.open && !firing) await this.writers.run(() => this.open(wish!));
          else if (!wish.open && firing) await this.writers.run(() => this.resolve(firing, wish!.rule));
        } catch (error) {
          if (isForeignKeyViolation(error)) {
            // Its rule, host or container was deleted meanwhile: there is nothing left to alert on.
            this.logger.log(`Alert "${wish.rule.name}" for ${wish.subject.name} dropped: its rule or subject was deleted`);
          } else if (wish.attempt + 1 >= RETRIES) {
            this.logger.error(`Alert "${wish.rule.name}" for ${wish.subject.name}: giving up after ${RETRIES} attempts: ${(error as Error).message}`);
          } else {
            this.logger.warn(`Alert "${wish.rule.name}" for ${wish.subject.name} could not be written, retrying: ${(error as Error).message}`);
            await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** wish!.attempt));
            const later = this.wishes.get(key);
            if (!later) this.wishes.set(key, { ...wish, attempt: wish.attempt + 1 });
            else if (wish.sticky && wish.open) this.wishes.set(key, { ...wish, attempt: wish.attempt + 1, then: later });
            this.changes++;
          }
        }
      }
    } finally {
      this.busy.delete(key);
    }
  }

  private async open(wish: Wish): Promise<void> {
    const { rule, subject } = wish;
    const opening = wish.opening?.() ?? { value: null, message: `${rule.name}: ${subject.name}` };
    const context = (await opening.context?.().catch((error) => {
      this.logger.warn(`Reading the context of "${rule.name}" for ${subject.name} failed: ${(error as Error).message}`);
      return null;
    })) ?? null;
    const key = subjectKey(subject);
    const mutedBy = this.rules.silenceFor(subject.organizationId, { hostId: subject.hostId, containerId: subject.containerId, ruleId: rule.id })
      ? 'silence'
      : subject.containerId && this.offlineHosts.has(subject.hostId)
        ? 'host_offline'
        : null;
    const result = await this.store.sql.transaction(async (tx) => {
      const reopened = await this.store.reopen(tx, rule.id, key, flapWindow(rule), opening.value);
      if (reopened) {
        await this.outbox.cancelPending(tx, reopened.id, 'resolved');
        return { row: reopened, publish: true, queued: 0 };
      }
      const row =
        (await this.store.insert(tx, {
          organizationId: subject.organizationId,
          ruleId: rule.id,
          ruleName: rule.name,
          severity: rule.severity,
          subjectKey: key,
          hostId: subject.hostId,
          containerId: subject.containerId,
          subjectName: subject.name,
          value: opening.value,
          message: typeof opening.message === 'function' ? opening.message(context) : opening.message,
          mutedBy,
          context,
        })) ?? undefined;
      // Another instance opened it first: remember theirs, announce nothing.
      if (!row) return { row: (await this.store.findFiring(tx, rule.id, key))[0], publish: false, queued: 0 };
      const queued = row.muted_by ? 0 : await this.notify(tx, rule, row, 'firing');
      return { row, publish: true, queued };
    });
    if (!result.row) return;
    this.remember(result.row);
    this.announce(result.row, 'firing', result.queued, result.publish);
  }

  private async resolve(alert: FiringAlert, rule: CompiledRule | undefined): Promise<void> {
    const result = await this.store.sql.transaction(async (tx) => {
      const row = await this.store.resolve(tx, alert.id);
      if (!row) return undefined;
      const queued = rule?.notifyResolved && !row.muted_by && row.last_notified_at ? await this.notify(tx, rule, row, 'resolved', flapWindow(rule)) : 0;
      return { row, queued };
    });
    this.forget(alert);
    if (result) this.announce(result.row, 'resolved', result.queued);
  }

  /** Queues the event for each of the rule's channels that still exists; returns how many. */
  async notify(tx: SqlExecutor, rule: CompiledRule, row: AlertRow, event: AlertEventName, delayMs = 0): Promise<number> {
    const channels = await this.store.channels(tx, row.organization_id, rule.channelIds);
    if (!channels.length) return 0;
    const payload = this.events.event(event, row);
    const notBefore = delayMs > 0 ? new Date(Date.now() + delayMs) : undefined;
    await this.outbox.enqueue(
      tx,
      channels.map((channelId) => ({ alertId: row.id, channelId, event, payload, notBefore })),
    );
    if (event !== 'resolved') await this.store.markNotified(tx, row.id);
    return channels.length;
  }

  /** After the commit: wake the outbox and tell dashboards. */
  announce(row: AlertRow, event: AlertEventName, queued: number, publish = true): void {
    if (queued) this.outbox.wake();
    if (publish) this.events.publish(this.events.event(event, row), row.organization_id);
  }

  private remember(row: FiringRow): void {
    this.changedWhileSyncing?.add(keyOf(row.rule_id!, row.subject_key));
    const alert = { id: row.id, ruleId: row.rule_id!, subjectKey: row.subject_key, hostId: row.host_id, containerId: row.container_id, mutedBy: row.muted_by };
    if (!row.rule_id) return;
    this.firingAlerts.set(keyOf(row.rule_id, row.subject_key), alert);
    this.changes++;
    if (!row.container_id && this.rules.rule(row.rule_id)?.condition.type === 'host_offline') this.offlineHosts.set(row.host_id, (this.offlineHosts.get(row.host_id) ?? 0) + 1);
  }

  private forget(alert: FiringAlert): void {
    this.changedWhileSyncing?.add(keyOf(alert.ruleId, alert.subjectKey));
    this.firingAlerts.delete(keyOf(alert.ruleId, alert.subjectKey));
    this.changes++;
    const count = this.offlineHosts.get(alert.hostId);
    if (!alert.containerId && count !== undefined && this.rules.rule(alert.ruleId)?.condition.type === 'host_offline') {
      if (count <= 1) this.offlineHosts.delete(alert.hostId);
      else this.offlineHosts.set(alert.hostId, count - 1);
    }
  }
}

/**
 * How long a resolution waits before it is announced: if the condition holds again meanwhile,
 * the same alert goes on firing and nobody hears of the blip (flapping).
 */
export function flapWindow(rule: CompiledRule): number {
  switch (rule.condition.type) {
    case 'container_event':
      return EVENT_FLAP_MS;
    case 'host_offline':
      return 0;
    default:
      return rule.spanMs;
  }
}
