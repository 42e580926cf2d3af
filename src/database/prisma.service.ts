import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { SqlClient } from './sql-client.js';

/** Prisma on whichever engine SqlClient opened (PostgreSQL via adapter-pg, or PGlite). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(sql: SqlClient) {
    super({ adapter: sql.prismaAdapter() });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
