import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { Host, Prisma } from '../generated/prisma/client.js';

export type EnrollmentOutcome = { ok: true; host: Host } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Hosts and their enrollment tokens. Every read by a user is scoped to an organization. */
@Injectable()
export class HostsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The host and its first enrollment token, together. */
  createWithEnrollmentToken(organizationId: string, name: string, tokenHash: string, expiresAt: Date): Promise<Host> {
    return this.prisma.host.create({ data: { organizationId, name, enrollmentTokens: { create: { tokenHash, expiresAt } } } });
  }

  list(organizationId: string): Promise<Host[]> {
    return this.prisma.host.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } });
  }

  find(organizationId: string, hostId: string): Promise<Host | null> {
    return this.prisma.host.findFirst({ where: { id: hostId, organizationId } });
  }

  /** Deletes the host with its containers, tokens and commands; false when not in this organization. */
  async delete(organizationId: string, hostId: string): Promise<boolean> {
    const { count } = await this.prisma.host.deleteMany({ where: { id: hostId, organizationId } });
    return count > 0;
  }

  /** Replaces any unused enrollment token of the host with a new one; false when the host is not found. */
  async replaceEnrollmentToken(organizationId: string, hostId: string, tokenHash: string, expiresAt: Date): Promise<boolean> {
    return this.prisma.$transaction(
      async (tx) => {
        const host = await tx.host.findFirst({ where: { id: hostId, organizationId }, select: { id: true } });
        if (!host) return false;
        await tx.enrollmentToken.deleteMany({ where: { hostId, usedAt: null } });
        await tx.enrollmentToken.create({ data: { hostId, tokenHash, expiresAt } });
        return true;
      },
      { timeout: 10_000 },
    );
  }

  /**
   * Spends an enrollment token and bumps the host's token generation (revoking earlier agent
   * tokens) in one transaction. The conditional update makes two concurrent uses yield one winner.
   */
  consumeEnrollmentToken(tokenHash: string, details: { hostname: string; agentVersion: string }, now = new Date()): Promise<EnrollmentOutcome> {
    return this.prisma.$transaction(
      async (tx): Promise<EnrollmentOutcome> => {
        const token = await tx.enrollmentToken.findUnique({ where: { tokenHash } });
        if (!token) return { ok: false, reason: 'unknown' };
        const { count } = await tx.enrollmentToken.updateMany({
          where: { id: token.id, usedAt: null, expiresAt: { gt: now } },
          data: { usedAt: now },
        });
        if (count === 0) return { ok: false, reason: token.usedAt ? 'used' : token.expiresAt <= now ? 'expired' : 'used' };
        const host = await tx.host.update({
          where: { id: token.hostId },
          data: { tokenGeneration: { increment: 1 }, hostname: details.hostname, agentVersion: details.agentVersion },
        });
        return { ok: true, host };
      },
      { timeout: 10_000 },
    );
  }

  /** What an agent token is checked against. */
  findAgentCredentials(hostId: string) {
    return this.prisma.host.findUnique({ where: { id: hostId }, select: { organizationId: true, tokenGeneration: true } });
  }

  updateDetails(hostId: string, details: Prisma.HostUpdateInput): Promise<unknown> {
    return this.prisma.host.update({ where: { id: hostId }, data: { ...details, lastSeenAt: new Date() } });
  }

  setOnline(hostIds: string[], online: boolean): Promise<unknown> {
    return this.prisma.host.updateMany({ where: { id: { in: hostIds } }, data: { online, lastSeenAt: new Date() } });
  }

  /** Heartbeat: one statement for every host whose agent answered a ping. */
  touch(hostIds: string[]): Promise<unknown> {
    return this.prisma.host.updateMany({ where: { id: { in: hostIds } }, data: { online: true, lastSeenAt: new Date() } });
  }

  /** Hosts no instance has heard from since `before` (their instance died) are offline. */
  /** Marks offline the hosts online but not heard from since `before`; answers their ids (each to one caller, whatever the instances sweeping). */
  async markStaleOffline(before: Date): Promise<string[]> {
    const marked = await this.prisma.host.updateManyAndReturn({
      where: { online: true, OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: before } }] },
      data: { online: false },
      select: { id: true },
    });
    return marked.map((host) => host.id);
  }
}
