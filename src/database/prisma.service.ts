import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';
import { SqlClient } from './sql-client.js';

/**
 * Prisma on whichever engine SqlClient opened (PostgreSQL via adapter-pg, or PGlite). It owns no
 * connection of its own: SqlClient closes the pool last, after shutdown has drained the ingest
 * buffers (which may still need Prisma), so there is no $disconnect here.
 */
@Injectable()
export class PrismaService extends PrismaClient {
  constructor(sql: SqlClient) {
    super({ adapter: sql.prismaAdapter() });
  }
}
