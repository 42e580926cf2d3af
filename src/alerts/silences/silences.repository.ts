import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import type { SilenceWindow } from '../rules/silence-match.js';

export interface NewSilence {
  hostId: string | null;
  containerId: string | null;
  ruleId: string | null;
  startsAt: Date;
  endsAt: Date;
  comment: string;
  createdBy: string;
}

const SELECT = { id: true, hostId: true, containerId: true, ruleId: true, startsAt: true, endsAt: true, comment: true, createdBy: true, createdAt: true } as const;
export type SilenceRow = Omit<NewSilence, 'createdBy'> & { id: string; createdBy: string | null; createdAt: Date };

/** Silences. Reads for the API are scoped to one organization; the evaluator reads all at once. */
@Injectable()
export class SilencesRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(organizationId: string, silence: NewSilence): Promise<SilenceRow> {
    return this.prisma.silence.create({ data: { organizationId, ...silence }, select: SELECT });
  }

  /** Newest first; only those not yet ended at `now` unless `includeEnded`. */
  list(organizationId: string, now: Date, includeEnded: boolean): Promise<SilenceRow[]> {
    return this.prisma.silence.findMany({
      where: { organizationId, ...(!includeEnded && { endsAt: { gt: now } }) },
      select: SELECT,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  async remove(organizationId: string, id: string): Promise<boolean> {
    return (await this.prisma.silence.deleteMany({ where: { id, organizationId } })).count > 0;
  }

  /** Every silence of every organization that has not ended at `now`, for the evaluator. */
  activeOrUpcoming(now: Date): Promise<SilenceWindow[]> {
    return this.prisma.silence.findMany({
      where: { endsAt: { gt: now } },
      select: { id: true, organizationId: true, hostId: true, containerId: true, ruleId: true, startsAt: true, endsAt: true },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** The host of a container of the organization; undefined for an unknown or foreign container. */
  async containerHost(organizationId: string, containerId: string): Promise<string | undefined> {
    const row = await this.prisma.container.findFirst({ where: { id: containerId, host: { organizationId } }, select: { hostId: true } });
    return row?.hostId;
  }
}
