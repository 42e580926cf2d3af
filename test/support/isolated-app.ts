import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * A test app on a database nobody else uses: on PostgreSQL a new database on the run's server
 * (dropped on close), on PGlite its own directory as always. For specs that depend on what exists
 * on the whole instance: the first organization, first-run signup.
 */
export async function startIsolatedTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return startTestApp(overrides);
  const name = `dockpulse_isolated_${Date.now()}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  };
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const t = await startTestApp({ ...overrides, DATABASE_URL: url.toString() });
    return { ...t, close: () => t.close().finally(drop) };
  } catch (error) {
    await drop();
    throw error;
  }
}
