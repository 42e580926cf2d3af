import pg from 'pg';

/**
 * A database of its own on the run's PostgreSQL server, for specs that leave thousands of rows or
 * dead tuples behind (floods, races), so that specs sharing the run's database still see small
 * tables. Without DATABASE_URL (PGlite), every test app has its own database anyway: no override.
 */
export async function privateDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { env: {}, drop: async () => undefined };
  const name = `${new URL(serverUrl).pathname.slice(1)}_own_${Math.floor(Math.random() * 1e9)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
