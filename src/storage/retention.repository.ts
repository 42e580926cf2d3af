import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

/** The row-level part of retention, on the small tables (time-series tables lose whole partitions instead). */
@Injectable()
export class RetentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Enrollment tokens spent or expired before `before`; returns how many were deleted. */
  async deleteStaleEnrollmentTokens(before: Date): Promise<number> {
    const { count } = await this.prisma.enrollmentToken.deleteMany({ where: { OR: [{ usedAt: { lt: before } }, { expiresAt: { lt: before } }] } });
    return count;
  }

  /** Finished commands (succeeded, failed, timeout) that finished before `before`. */
  /** Resolved alerts (their notifications go with them) and silences that ended before `before`. */
  async deleteResolvedAlerts(before: Date): Promise<number> {
    const { count } = await this.prisma.alert.deleteMany({ where: { state: 'resolved', resolvedAt: { lt: before } } });
    await this.prisma.silence.deleteMany({ where: { endsAt: { lt: before } } });
    return count;
  }

  async deleteFinishedCommands(before: Date): Promise<number> {
    const { count } = await this.prisma.command.deleteMany({
      where: {
        status: { in: ['succeeded', 'failed', 'timeout'] },
        // finishedAt is set whenever a command ends; createdAt covers a row that somehow lacks it.
        OR: [{ finishedAt: { lt: before } }, { finishedAt: null, createdAt: { lt: before } }],
      },
    });
    return count;
  }
}
