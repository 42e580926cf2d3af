import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { openMigratedSqlClient } from './open-database.js';
import { PartitionManager } from './partition-manager.js';
import { PrismaService } from './prisma.service.js';
import { SqlClient } from './sql-client.js';
import { Migrator } from './migrator.js';

@Global()
@Module({
  providers: [
    {
      provide: SqlClient,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        openMigratedSqlClient({ DATABASE_URL: config.get('DATABASE_URL', { infer: true }), DATA_DIR: config.getOrThrow('DATA_DIR', { infer: true }) }),
    },
    { provide: Migrator, inject: [SqlClient], useFactory: (sql: SqlClient) => new Migrator(sql) },
    PrismaService,
    PartitionManager,
  ],
  exports: [SqlClient, PrismaService, Migrator, PartitionManager],
})
export class DatabaseModule {}
