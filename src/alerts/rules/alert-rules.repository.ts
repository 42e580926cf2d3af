import { Injectable } from '@nestjs/common';
import { parseDuration } from '../../config/duration.js';
import { PrismaService } from '../../database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { AlertCondition, AlertRuleView, AlertScope, LoadedRule, Severity } from '../alert-rule.js';

const SELECT = {
  id: true,
  organizationId: true,
  name: true,
  enabled: true,
  severity: true,
  scope: true,
  condition: true,
  channelIds: true,
  repeatEvery: true,
  repeatEveryMs: true,
  notifyResolved: true,
  createdAt: true,
  updatedAt: true,
} as const;
type RuleRow = Prisma.AlertRuleGetPayload<{ select: typeof SELECT }>;

/** What is stored for a rule; durations as written plus the repeat interval in milliseconds. */
export interface RuleData {
  name: string;
  enabled: boolean;
  severity: Severity;
  scope: AlertScope;
  condition: AlertCondition;
  channelIds: string[];
  repeatEvery: string | null;
  repeatEveryMs: number | null;
  notifyResolved: boolean;
}

const ORDER = [{ createdAt: 'asc' }, { id: 'asc' }] as const satisfies Prisma.AlertRuleOrderByWithRelationInput[];

const toView = (row: RuleRow): AlertRuleView => ({
  id: row.id,
  name: row.name,
  enabled: row.enabled,
  severity: row.severity as Severity,
  scope: row.scope as AlertScope,
  condition: row.condition as AlertCondition,
  channelIds: row.channelIds,
  repeatEvery: row.repeatEvery,
  notifyResolved: row.notifyResolved,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const windowOf = (condition: AlertCondition) =>
  condition.type === 'container_event' ? null : (parseDuration(condition.type === 'log_match' ? condition.within : condition.for) ?? null);

const toLoaded = (row: RuleRow): LoadedRule => {
  const view = toView(row);
  return {
    ...view,
    organizationId: row.organizationId,
    repeatEveryMs: row.repeatEveryMs === null ? null : Number(row.repeatEveryMs),
    windowMs: windowOf(view.condition),
  };
};

const toColumns = (data: Partial<RuleData>) => {
  const { scope, condition, repeatEveryMs, ...rest } = data;
  return {
    ...rest,
    ...(scope !== undefined && { scope: scope as Prisma.InputJsonObject }),
    ...(condition !== undefined && { condition: condition as Prisma.InputJsonObject }),
    ...(repeatEveryMs !== undefined && { repeatEveryMs: repeatEveryMs === null ? null : BigInt(repeatEveryMs) }),
  };
};

/** Alert rules. Reads for the API are scoped to one organization; the evaluator reads all at once. */
@Injectable()
export class AlertRulesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(organizationId: string, data: RuleData): Promise<AlertRuleView> {
    return toView(await this.prisma.alertRule.create({ data: { organizationId, ...toColumns(data) } as Prisma.AlertRuleUncheckedCreateInput, select: SELECT }));
  }

  async list(organizationId: string): Promise<AlertRuleView[]> {
    return (await this.prisma.alertRule.findMany({ where: { organizationId }, select: SELECT, orderBy: ORDER })).map(toView);
  }

  async find(organizationId: string, id: string): Promise<AlertRuleView | undefined> {
    const row = await this.prisma.alertRule.findFirst({ where: { id, organizationId }, select: SELECT });
    return row ? toView(row) : undefined;
  }

  /** The updated rule, or undefined when no such rule is in the organization. */
  async update(organizationId: string, id: string, data: Partial<RuleData>): Promise<AlertRuleView | undefined> {
    const { count } = await this.prisma.alertRule.updateMany({ where: { id, organizationId }, data: { ...toColumns(data), updatedAt: new Date() } });
    return count ? this.find(organizationId, id) : undefined;
  }

  async remove(organizationId: string, id: string): Promise<boolean> {
    return (await this.prisma.alertRule.deleteMany({ where: { id, organizationId } })).count > 0;
  }

  /** Every enabled rule of every organization, for the evaluator. */
  async listEnabled(): Promise<LoadedRule[]> {
    return (await this.prisma.alertRule.findMany({ where: { enabled: true }, select: SELECT, orderBy: ORDER })).map(toLoaded);
  }

  async listEnabledFor(organizationId: string): Promise<LoadedRule[]> {
    return (await this.prisma.alertRule.findMany({ where: { enabled: true, organizationId }, select: SELECT, orderBy: ORDER })).map(toLoaded);
  }

  /** The subset of `ruleIds` that are rules of the organization. */
  async ownedRules(organizationId: string, ruleIds: string[]): Promise<Set<string>> {
    if (!ruleIds.length) return new Set();
    const rows = await this.prisma.alertRule.findMany({ where: { organizationId, id: { in: ruleIds } }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }

  /** The subset of `channelIds` that are notification channels of the organization. */
  async ownedChannels(organizationId: string, channelIds: string[]): Promise<Set<string>> {
    if (!channelIds.length) return new Set();
    const rows = await this.prisma.notificationChannel.findMany({ where: { organizationId, id: { in: channelIds } }, select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }
}
