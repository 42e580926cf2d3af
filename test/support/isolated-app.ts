import { privateDatabase } from './private-database.js';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * A test app on a database nobody else uses: on PostgreSQL a new database on the run's server
 * (dropped on close), on PGlite its own directory as always. For specs that depend on what exists
 * on the whole instance: the first organization, first-run signup.
 */
export async function startIsolatedTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await privateDatabase();
  try {
    const t = await startTestApp({ ...overrides, ...database.env });
    return { ...t, close: () => t.close().finally(database.drop) };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
