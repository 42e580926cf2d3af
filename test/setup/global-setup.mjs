// Gives every test run its own database, so runs never see each other's data:
// with DATABASE_URL, a fresh database on that server (dropped at teardown);
// without it, each test app opens its own embedded database in a temporary directory, copied from
// one empty cluster made here: PGlite's initdb takes ~5 s of one core, a copy under one. The
// server-process specs and the service itself still run initdb on their own data directories.
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export default async function globalSetup() {
  process.env.DOCKPULSE_TEST_TMP = mkdtempSync(join(tmpdir(), 'dockpulse-test-'));
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return makeEmptyCluster(join(process.env.DOCKPULSE_TEST_TMP, 'pglite-template'));
  const name = `dockpulse_test_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DOCKPULSE_TEST_SERVER_URL = serverUrl;
  process.env.DOCKPULSE_TEST_DATABASE = name;
  process.env.DATABASE_URL = url.toString();
  console.log(`\nTests run against PostgreSQL, fresh database ${name}`);
}

/** An initialized, empty PGlite cluster (no schema: every test app still runs the migrations). */
async function makeEmptyCluster(dir) {
  const db = await PGlite.create(dir);
  await db.close();
  process.env.DOCKPULSE_TEST_PGLITE_TEMPLATE = dir;
}
