import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import type { Environment } from '../config/environment.js';
import { Migrator } from './migrator.js';
import { PgSqlClient } from './pg-sql-client.js';
import { PgliteSqlClient } from './pglite-sql-client.js';
import { SqlClient } from './sql-client.js';

/** DATABASE_URL's PostgreSQL when set, else the embedded database in DATA_DIR/pglite. */
export async function openSqlClient(env: Pick<Environment, 'DATABASE_URL' | 'DATA_DIR'>): Promise<SqlClient> {
  const logger = new Logger('Database');
  if (env.DATABASE_URL) {
    logger.log(`Using PostgreSQL at ${new URL(env.DATABASE_URL).host}`);
    return PgSqlClient.open(env.DATABASE_URL);
  }
  const dir = env.DATA_DIR.startsWith('memory://') ? env.DATA_DIR : resolve(env.DATA_DIR, 'pglite');
  logger.log(`Using the embedded database in ${dir}`);
  return PgliteSqlClient.open(dir);
}

/** Opens the database and brings its schema up to date before anything else touches it. */
export async function openMigratedSqlClient(env: Pick<Environment, 'DATABASE_URL' | 'DATA_DIR'>): Promise<SqlClient> {
  const sql = await openSqlClient(env);
  try {
    await new Migrator(sql).migrate();
  } catch (error) {
    await sql.close();
    throw error;
  }
  return sql;
}
