import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR, Migrator } from '../src/database/migrator.js';
import type { SqlClient } from '../src/database/sql-client.js';
import { freshDatabase } from './support/fresh-database.js';
import { tempDir } from './support/test-app.js';

const GAP_LEDGER = '20261202000100_gap_ledger';

describe('the gap ledger migration', () => {
  let db: { sql: SqlClient; close: () => Promise<void> };
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.close());

  it('fills the presence ledger from the rollups already there, so older history is not reported missing', async () => {
    const before = tempDir('migrations-');
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    for (const name of readdirSync(before)) if (name >= GAP_LEDGER) rmSync(join(before, name), { recursive: true });
    await new Migrator(db.sql, before).migrate();

    const day = '2026-11-20';
    for (const table of ['host_metrics_1m', 'container_metrics_1m']) {
      await db.sql.exec(`CREATE TABLE ${table}_p20261120 PARTITION OF ${table} FOR VALUES FROM ('${day}T00:00:00Z') TO ('2026-11-21T00:00:00Z')`);
    }
    const host = '6f1c2b3a-0000-4000-8000-0000000000aa';
    for (const minute of ['10:00', '10:01', '10:59', '11:30']) {
      await db.sql.query(
        `INSERT INTO host_metrics_1m (host_id, ts, samples, cpu_avg, cpu_max, load1_avg, load5_avg, load15_avg, memory_avg, memory_max, memory_total, disk_used_last, disk_used_max, disk_total, network_rx, network_tx)
         VALUES ($1::uuid, $2::timestamptz, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0)`,
        [host, `${day}T${minute}:00Z`],
      );
    }
    // Two containers in one minute still make one bit.
    for (const container of ['6f1c2b3a-0000-4000-8000-0000000000b1', '6f1c2b3a-0000-4000-8000-0000000000b2']) {
      await db.sql.query(
        `INSERT INTO container_metrics_1m (host_id, container_id, ts, samples, cpu_avg, cpu_max, memory_avg, memory_max, memory_limit, network_rx, network_tx, block_read, block_write, pids_max)
         VALUES ($1::uuid, $2::uuid, $3::timestamptz, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1)`,
        [host, container, `${day}T10:05:00Z`],
      );
    }
    await new Migrator(db.sql).migrate();

    const rows = await db.sql.query<{ kind: string; hour: string; minutes: string }>(
      `SELECT kind, to_char(hour AT TIME ZONE 'UTC', 'HH24:MI') AS hour, minutes::text AS minutes FROM data_presence WHERE host_id = $1::uuid ORDER BY kind, hour`,
      [host],
    );
    expect(rows).toEqual([
      { kind: 'container_metrics', hour: '10:00', minutes: String(1n << 5n) },
      { kind: 'host_metrics', hour: '10:00', minutes: String((1n << 0n) | (1n << 1n) | (1n << 59n)) },
      { kind: 'host_metrics', hour: '11:00', minutes: String(1n << 30n) },
    ]);
  });
});
