import { rmSync } from 'node:fs';
import pg from 'pg';

export default async function globalTeardown() {
  if (process.env.DOCKPULSE_TEST_TMP) rmSync(process.env.DOCKPULSE_TEST_TMP, { recursive: true, force: true });
  const { DOCKPULSE_TEST_SERVER_URL: serverUrl, DOCKPULSE_TEST_DATABASE: name } = process.env;
  if (!serverUrl || !name) return;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
