import pg from 'pg';
import { PgSqlClient } from '../../src/database/pg-sql-client.js';
import { PgliteSqlClient } from '../../src/database/pglite-sql-client.js';
import type { SqlClient } from '../../src/database/sql-client.js';

/**
 * An empty database of the engine under test: a new database on the run's PostgreSQL server when
 * DATABASE_URL is set (dropped on close), otherwise an in-memory PGlite.
 */
export async function freshDatabase(): Promise<{ sql: SqlClient; close: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const sql = await PgliteSqlClient.open('memory://');
    return { sql, close: () => sql.close() };
  }
  const name = `dockpulse_empty_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = PgSqlClient.open(url.toString());
  return {
    sql,
    close: async () => {
      await sql.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
