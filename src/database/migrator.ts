import { Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqlClient } from './sql-client.js';

/** prisma/migrations, from both src/database (tests) and dist/database (built app). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
/** The advisory lock key Prisma Migrate itself uses, so our migrator and `prisma migrate` exclude each other. */
const MIGRATION_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {}

/**
 * Applies Prisma-layout migrations (prisma/migrations/<timestamp>_<name>/migration.sql) in order,
 * each in its own transaction, recorded in _prisma_migrations with the file's sha256 exactly as
 * Prisma records them, so `prisma migrate deploy` and this migrator can take turns on one database.
 */
export class Migrator {
  private readonly logger = new Logger(Migrator.name);

  constructor(
    private readonly sql: SqlClient,
    private readonly dir = MIGRATIONS_DIR,
  ) {}

  list(): Migration[] {
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((name) => {
        const sql = readFileSync(join(this.dir, name, 'migration.sql'), 'utf8');
        return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
      });
  }

  /** Names of migrations on disk that the database has not finished applying. */
  async pending(): Promise<string[]> {
    const [{ exists }] = await this.sql.query<{ exists: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`);
    const applied = exists ? await this.applied() : new Map<string, string>();
    return this.list()
      .filter((migration) => !applied.has(migration.name))
      .map((migration) => migration.name);
  }

  /** Applies every pending migration; returns the names applied. */
  async migrate(): Promise<string[]> {
    return this.sql.withAdvisoryLock(MIGRATION_LOCK_KEY, async () => {
      await this.sql.exec(CREATE_MIGRATIONS_TABLE);
      const applied = await this.applied();
      const done: string[] = [];
      for (const migration of this.list()) {
        const checksum = applied.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new MigrationError(`Migration ${migration.name} was changed after it was applied (checksum differs). Add a new migration instead of editing an applied one.`);
          }
          continue;
        }
        await this.apply(migration);
        done.push(migration.name);
      }
      if (done.length) this.logger.log(`Applied ${done.length} migration(s): ${done.join(', ')}`);
      return done;
    });
  }

  private async applied(): Promise<Map<string, string>> {
    const rows = await this.sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return new Map(rows.map((row) => [row.migration_name, row.checksum]));
  }

  private async apply(migration: Migration): Promise<void> {
    try {
      await this.sql.transaction(
        async (tx) => {
          await tx.exec(migration.sql);
          await tx.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
        },
        { timeoutMs: 10 * 60_000 },
      );
    } catch (error) {
      throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
    }
  }
}
