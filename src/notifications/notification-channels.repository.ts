import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

export interface ChannelRow {
  id: string;
  name: string;
  type: string;
  config: Prisma.JsonValue;
  secrets: string | null;
}

const SELECT = { id: true, name: true, type: true, config: true, secrets: true } as const;
type ChannelData = { name: string; type: string; config: Prisma.InputJsonObject; secrets: string | null };

/** Channels, always within one organization: another organization's id finds nothing. */
@Injectable()
export class NotificationChannelsRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(organizationId: string, id: string, data: ChannelData): Promise<ChannelRow> {
    return this.prisma.notificationChannel.create({ data: { id, organizationId, ...data }, select: SELECT });
  }

  list(organizationId: string): Promise<ChannelRow[]> {
    return this.prisma.notificationChannel.findMany({ where: { organizationId }, select: SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  find(organizationId: string, id: string): Promise<ChannelRow | null> {
    return this.prisma.notificationChannel.findFirst({ where: { id, organizationId }, select: SELECT });
  }

  /** Channels by id whatever their organization, each with it: for deliveries, whose caller checks the organization. */
  findMany(ids: string[]): Promise<(ChannelRow & { organizationId: string })[]> {
    return this.prisma.notificationChannel.findMany({ where: { id: { in: ids } }, select: { ...SELECT, organizationId: true } });
  }

  /** False when no such channel is in the organization. */
  async update(organizationId: string, id: string, data: Partial<ChannelData>): Promise<boolean> {
    return (await this.prisma.notificationChannel.updateMany({ where: { id, organizationId }, data })).count > 0;
  }

  async remove(organizationId: string, id: string): Promise<boolean> {
    return (await this.prisma.notificationChannel.deleteMany({ where: { id, organizationId } })).count > 0;
  }
}
