import { Injectable } from '@nestjs/common';
import { formatDuration } from '../../config/duration.js';
import { AlertLifecycle } from './alert-lifecycle.js';
import type { CompiledRule } from './compiled-rule.js';
import { EngineRepository, type HostFacts } from './engine.repository.js';
import { RuleBook } from './rule-book.js';

/** At most this many affected containers are named in the message (all are in `context`). */
const NAMED = 10;

/**
 * `host_offline`: a host whose agent is disconnected and was last heard from longer than `for`
 * ago (presence, kept in the hosts table by whichever instance held its socket). Its alert lists
 * the containers it was running; while it fires, its containers' alerts notify nobody.
 */
@Injectable()
export class PresenceEvaluator {
  constructor(
    private readonly rules: RuleBook,
    private readonly lifecycle: AlertLifecycle,
    private readonly repository: EngineRepository,
  ) {}

  async check(now = Date.now()): Promise<void> {
    const organizations = this.rules.organizationsWith('host_offline');
    const silent = new Map<string, HostFacts>();
    if (organizations.length) {
      const shortest = Math.min(...organizations.flatMap((id) => this.rules.of(id, 'host_offline').map((rule) => rule.spanMs)));
      for (const host of await this.repository.silentHosts(organizations, new Date(now - shortest))) silent.set(host.id, host);
    }
    for (const host of silent.values()) {
      for (const rule of this.rules.applicable(host.organizationId, 'host_offline', { hostId: host.id })) {
        if (host.lastSeenAt!.getTime() <= now - rule.spanMs) this.offline(rule, host);
      }
    }
    for (const alert of this.lifecycle.firing()) {
      const rule = this.rules.rule(alert.ruleId);
      if (rule?.condition.type === 'host_offline' && !silent.has(alert.hostId)) {
        const [host] = await this.repository.hosts([alert.hostId]);
        if (!host || host.online || !host.lastSeenAt || host.lastSeenAt.getTime() > now - rule.spanMs) {
          this.lifecycle.verdict(rule, { organizationId: rule.organizationId, hostId: alert.hostId, containerId: null, name: host?.name ?? alert.hostId }, false);
        }
      }
    }
  }

  private offline(rule: CompiledRule, host: HostFacts): void {
    this.lifecycle.verdict(rule, { organizationId: host.organizationId, hostId: host.id, containerId: null, name: host.name }, true, () => {
      const silence = `${host.name} has not been heard from for ${formatDuration(rule.spanMs)} or more`;
      return {
        value: null,
        message: (context) => {
          const names = ((context?.affectedContainers ?? []) as { name: string | null }[]).map((c) => c.name ?? '?');
          if (!names.length) return silence;
          const more = names.length > NAMED ? ` and ${names.length - NAMED} more` : '';
          return `${silence}; ${names.length} container(s) affected: ${names.slice(0, NAMED).join(', ')}${more}`;
        },
        context: async () => ({
          lastSeenAt: host.lastSeenAt!.toISOString(),
          affectedContainers: (await this.repository.runningContainers(host.id)).map((c) => ({ containerId: c.id, name: c.name?.replace(/^\//, '') ?? null })),
        }),
      };
    });
  }
}
