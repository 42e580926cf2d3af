import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async any(): Promise<boolean> {
    return (await this.prisma.organization.findFirst({ select: { id: true } })) !== null;
  }

  /** The instance's own organization: the first one created (a tie in created_at goes to the lower id). */
  async firstId(): Promise<string | undefined> {
    const first = await this.prisma.organization.findFirst({ select: { id: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return first?.id;
  }
}
