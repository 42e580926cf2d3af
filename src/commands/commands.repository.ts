import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

@Injectable()
export class CommandsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Records a command's result if it is still open. Returns whether the command exists for this
   * host at all, so a replayed result is acknowledged without changing anything.
   */
  async finish(hostId: string, commandId: string, status: 'succeeded' | 'failed', message: string | null): Promise<{ exists: boolean; changed: boolean }> {
    const { count } = await this.prisma.command.updateMany({
      where: { id: commandId, hostId, status: { in: ['pending', 'sent'] } },
      data: { status, message, finishedAt: new Date() },
    });
    if (count) return { exists: true, changed: true };
    const exists = (await this.prisma.command.count({ where: { id: commandId, hostId } })) > 0;
    return { exists, changed: false };
  }
}
