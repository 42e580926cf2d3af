import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AccessRepository } from '../../access/access.repository.js';
import type { UserPrincipal } from '../../common/principal.js';
import { parseTimestamp } from '../../common/timestamp.js';
import { AlertRulesRepository } from '../rules/alert-rules.repository.js';
import { RuleChanges } from '../rules/rule-changes.js';
import type { CreateSilenceDto } from './dto/silence.dto.js';
import { SilencesRepository, type SilenceRow } from './silences.repository.js';

const view = (row: SilenceRow, now: Date) => ({
  id: row.id,
  hostId: row.hostId,
  containerId: row.containerId,
  ruleId: row.ruleId,
  startsAt: row.startsAt.toISOString(),
  endsAt: row.endsAt.toISOString(),
  comment: row.comment,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  active: row.startsAt <= now && now < row.endsAt,
});

@Injectable()
export class SilencesService {
  constructor(
    private readonly silences: SilencesRepository,
    private readonly rules: AlertRulesRepository,
    private readonly access: AccessRepository,
    private readonly changes: RuleChanges,
  ) {}

  async create(user: UserPrincipal, dto: CreateSilenceDto) {
    const startsAt = new Date(parseTimestamp(dto.startsAt)!.ms);
    const endsAt = new Date(parseTimestamp(dto.endsAt)!.ms);
    const [hostId, containerId, ruleId] = [dto.hostId, dto.containerId, dto.ruleId].map((id) => id?.toLowerCase() ?? null);
    const problems = endsAt > startsAt ? [] : ['endsAt must be after startsAt'];
    problems.push(...(await this.referenceProblems(user.organizationId, hostId, containerId, ruleId)));
    if (problems.length) throw new BadRequestException(problems);
    const row = await this.silences.create(user.organizationId, { hostId, containerId, ruleId, startsAt, endsAt, comment: dto.comment, createdBy: user.userId });
    await this.changes.changed(user.organizationId);
    return view(row, new Date());
  }

  async list(organizationId: string, includeEnded: boolean) {
    const now = new Date();
    return (await this.silences.list(organizationId, now, includeEnded)).map((row) => view(row, now));
  }

  async remove(organizationId: string, id: string): Promise<void> {
    if (!(await this.silences.remove(organizationId, id))) throw new NotFoundException('Silence not found');
    await this.changes.changed(organizationId);
  }

  /** The host, container and rule must be the organization's, and the container on that host. */
  private async referenceProblems(organizationId: string, hostId: string | null, containerId: string | null, ruleId: string | null): Promise<string[]> {
    const [hosts, containerHost, rules] = await Promise.all([
      this.access.ownedHosts(organizationId, hostId ? [hostId] : []),
      containerId ? this.silences.containerHost(organizationId, containerId) : undefined,
      this.rules.ownedRules(organizationId, ruleId ? [ruleId] : []),
    ]);
    const problems: string[] = [];
    if (hostId && !hosts.has(hostId)) problems.push('hostId is not a host of this organization');
    if (containerId && !containerHost) problems.push('containerId is not a container of this organization');
    else if (containerId && hostId && hosts.has(hostId) && containerHost !== hostId) problems.push('containerId is not a container of hostId');
    if (ruleId && !rules.has(ruleId)) problems.push('ruleId is not an alert rule of this organization');
    return problems;
  }
}
