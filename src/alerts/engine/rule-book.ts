import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../../common/intervals.js';
import type { ConditionType } from '../alert-rule.js';
import { AlertRulesRepository } from '../rules/alert-rules.repository.js';
import { RuleChanges } from '../rules/rule-changes.js';
import { silenceMatches, type SilenceWindow } from '../rules/silence-match.js';
import { SilencesRepository } from '../silences/silences.repository.js';
import { compileRule, type CompiledRule, type SubjectFacts } from './compiled-rule.js';

/** Rules and silences change through the API of any instance; this one also rereads them this often. */
const RELOAD_MS = 15_000;
const EMPTY: CompiledRule[] = [];

/**
 * The enabled rules of every organization, compiled, by condition type, and the silences that
 * have not ended. Reloaded at once when this instance changes them, and every RELOAD_MS.
 */
@Injectable()
export class RuleBook implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RuleBook.name);
  private byOrganization = new Map<string, Map<ConditionType, CompiledRule[]>>();
  private byId = new Map<string, CompiledRule>();
  private silences: SilenceWindow[] = [];
  private fingerprint = '';
  private reloading?: Promise<void>;
  /** A reread asked for while one was running: it starts when that one ends, and its callers wait for it. */
  private next?: Promise<void>;
  private stopChanges?: () => void;
  /** Bumped on every reload: caches of which rules apply to a subject compare against it. */
  version = 0;
  /** The rules enabled when this instance started: only they have a past to catch up on after a restart. */
  private startupRules?: ReadonlySet<string>;

  constructor(
    private readonly ruleStore: AlertRulesRepository,
    private readonly silenceStore: SilencesRepository,
    private readonly changes: RuleChanges,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.stopChanges = this.changes.onChange(() => this.reload());
    await this.reload();
    startInterval(this.scheduler, 'alert-rules-reload', RELOAD_MS, () => void this.reload());
  }

  onModuleDestroy(): void {
    this.stopChanges?.();
    stopInterval(this.scheduler, 'alert-rules-reload');
  }

  /**
   * Rereads rules and silences. A call while a reread runs waits for a fresh one after it (the
   * running one may have started before the caller's change was committed); all such calls share it.
   */
  reload(): Promise<void> {
    if (this.next) return this.next;
    if (!this.reloading) return this.readOnce();
    this.next = this.reloading.then(() => {
      this.next = undefined;
      return this.readOnce();
    });
    return this.next;
  }

  private readOnce(): Promise<void> {
    const reading: Promise<void> = this.read()
      .catch((error) => this.logger.warn(`Reading alert rules failed: ${(error as Error).message}`))
      .finally(() => {
        if (this.reloading === reading) this.reloading = undefined;
      });
    return (this.reloading = reading);
  }

  private async read(): Promise<void> {
    const [rules, silences] = await Promise.all([this.ruleStore.listEnabled(), this.silenceStore.activeOrUpcoming(new Date())]);
    const byOrganization = new Map<string, Map<ConditionType, CompiledRule[]>>();
    const all = rules.map(compileRule);
    for (const rule of all) {
      const types = byOrganization.get(rule.organizationId) ?? new Map<ConditionType, CompiledRule[]>();
      types.set(rule.condition.type, [...(types.get(rule.condition.type) ?? []), rule]);
      byOrganization.set(rule.organizationId, types);
    }
    this.silences = silences;
    this.startupRules ??= new Set(rules.map((rule) => rule.id));
    // Reading the same rules again changes nothing: subjects keep what they worked out from them.
    const fingerprint = rules.map((rule) => `${rule.id}@${rule.updatedAt}`).join(',');
    if (fingerprint === this.fingerprint && this.version > 0) return;
    this.fingerprint = fingerprint;
    this.byOrganization = byOrganization;
    this.byId = new Map(all.map((rule) => [rule.id, rule]));
    this.version++;
  }

  of(organizationId: string, type: ConditionType): CompiledRule[] {
    return this.byOrganization.get(organizationId)?.get(type) ?? EMPTY;
  }

  /** Whether the rule was enabled when this instance started (a rule enabled later starts from live samples, restart or not). */
  enabledAtStartup(id: string): boolean {
    return this.startupRules?.has(id) ?? false;
  }

  rule(id: string): CompiledRule | undefined {
    return this.byId.get(id);
  }

  /** Organizations with at least one rule of this type. */
  organizationsWith(type: ConditionType): string[] {
    return [...this.byOrganization].filter(([, types]) => types.has(type)).map(([id]) => id);
  }

  applicable(organizationId: string, type: ConditionType, subject: SubjectFacts): CompiledRule[] {
    const rules = this.of(organizationId, type);
    return rules.length ? rules.filter((rule) => rule.matches(subject)) : EMPTY;
  }

  /** The active silence covering this alert, if any. */
  silenceFor(organizationId: string, subject: { hostId: string; containerId?: string | null; ruleId: string }, at = new Date()): SilenceWindow | undefined {
    return this.silences.find((silence) => silence.organizationId === organizationId && silenceMatches(silence, subject, at));
  }
}
