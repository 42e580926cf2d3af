import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AccessRepository } from '../../access/access.repository.js';
import { parseDuration } from '../../config/duration.js';
import type { AlertRuleView } from '../alert-rule.js';
import { AlertRulesRepository, type RuleData } from './alert-rules.repository.js';
import type { CreateAlertRuleDto, UpdateAlertRuleDto } from './dto/alert-rule.dto.js';
import { RuleChanges } from './rule-changes.js';
import { toCondition, toScope } from './rule-normalize.js';

const NOT_FOUND = 'Alert rule not found';

/** Indexes of `ids` missing from `owned`, as messages naming the field. */
const unknownIds = (field: string, ids: string[], owned: Set<string>, what: string) =>
  ids.flatMap((id, index) => (owned.has(id) ? [] : [`${field}.${index} is not ${what} of this organization`]));

@Injectable()
export class AlertRulesService {
  constructor(
    private readonly rules: AlertRulesRepository,
    private readonly changes: RuleChanges,
    private readonly access: AccessRepository,
  ) {}

  async create(organizationId: string, dto: CreateAlertRuleDto): Promise<AlertRuleView> {
    const data: RuleData = {
      name: dto.name,
      enabled: dto.enabled ?? true,
      severity: dto.severity,
      scope: toScope(dto.scope),
      condition: toCondition(dto.condition),
      channelIds: (dto.channelIds ?? []).map((id) => id.toLowerCase()),
      ...repeat(dto.repeatEvery ?? null),
      notifyResolved: dto.notifyResolved ?? true,
    };
    await this.checkReferences(organizationId, data);
    const rule = await this.rules.create(organizationId, data);
    await this.changes.changed(organizationId);
    return rule;
  }

  list(organizationId: string): Promise<AlertRuleView[]> {
    return this.rules.list(organizationId);
  }

  async get(organizationId: string, id: string): Promise<AlertRuleView> {
    const rule = await this.rules.find(organizationId, id);
    if (!rule) throw new NotFoundException(NOT_FOUND);
    return rule;
  }

  async update(organizationId: string, id: string, dto: UpdateAlertRuleDto): Promise<AlertRuleView> {
    await this.get(organizationId, id);
    const data: Partial<RuleData> = {
      ...(dto.name !== undefined && { name: dto.name }),
      ...(dto.enabled !== undefined && { enabled: dto.enabled }),
      ...(dto.severity !== undefined && { severity: dto.severity }),
      ...(dto.scope !== undefined && { scope: toScope(dto.scope) }),
      ...(dto.condition !== undefined && { condition: toCondition(dto.condition) }),
      ...(dto.channelIds !== undefined && { channelIds: dto.channelIds.map((channelId) => channelId.toLowerCase()) }),
      ...(dto.repeatEvery !== undefined && repeat(dto.repeatEvery)),
      ...(dto.notifyResolved !== undefined && { notifyResolved: dto.notifyResolved }),
    };
    await this.checkReferences(organizationId, data);
    const rule = await this.rules.update(organizationId, id, data);
    if (!rule) throw new NotFoundException(NOT_FOUND);
    await this.changes.changed(organizationId);
    return rule;
  }

  async remove(organizationId: string, id: string): Promise<void> {
    if (!(await this.rules.remove(organizationId, id))) throw new NotFoundException(NOT_FOUND);
    await this.changes.changed(organizationId);
  }

  /** Hosts and channels named by the rule must be the organization's: 400 naming each one that is not. */
  private async checkReferences(organizationId: string, data: Partial<RuleData>): Promise<void> {
    const hostIds = data.scope?.hostIds ?? [];
    const channelIds = data.channelIds ?? [];
    const [hosts, channels] = await Promise.all([
      this.access.ownedHosts(organizationId, hostIds),
      this.rules.ownedChannels(organizationId, channelIds),
    ]);
    const problems = [
      ...unknownIds('scope.hostIds', hostIds, hosts, 'a host'),
      ...unknownIds('channelIds', channelIds, channels, 'a notification channel'),
    ];
    if (problems.length) throw new BadRequestException(problems);
  }
}

function repeat(repeatEvery: string | null): Pick<RuleData, 'repeatEvery' | 'repeatEveryMs'> {
  return { repeatEvery, repeatEveryMs: repeatEvery === null ? null : parseDuration(repeatEvery)! };
}
