import { randomUUID } from 'node:crypto';
import { DAYS_AHEAD, PartitionManager, partitionName } from '../src/database/partition-manager.js';
import { DAY_MS, TIME_SERIES_TABLES } from '../src/database/time-series-tables.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('PartitionManager', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RETENTION_METRICS: '3d', RETENTION_LOGS: '24h' });
  });
  afterAll(() => t.close());

  const partitions = async (table: string) =>
    (
      await t.sql.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1 ORDER BY 1`,
        [table],
      )
    ).map((r) => r.name);

  it('created daily partitions at start-up covering each retention window and the days ahead', async () => {
    const day = (offset: number) => {
      const d = new Date();
      d.setUTCHours(0, 0, 0, 0);
      return new Date(d.getTime() + offset * 86_400_000);
    };
    const metrics = await partitions('container_metrics');
    for (const offset of [-3, -2, -1, 0, 1, DAYS_AHEAD]) expect(metrics).toContain(partitionName('container_metrics', day(offset)));
    const logs = await partitions('container_logs');
    for (const offset of [-1, 0, DAYS_AHEAD]) expect(logs).toContain(partitionName('container_logs', day(offset)));
    expect(logs).not.toContain(partitionName('container_logs', day(-3)));
    for (const { table } of TIME_SERIES_TABLES) expect((await partitions(table)).length).toBeGreaterThanOrEqual(DAYS_AHEAD + 2);
  });

  it('is idempotent and creates only what is missing as time moves on', async () => {
    const manager = t.app.get(PartitionManager);
    expect(await manager.ensurePartitions()).toEqual([]);
    const later = new Date(Date.now() + 86_400_000);
    const created = await manager.ensurePartitions(later);
    // A day later every daily table needs one more partition; a wider one only when a new width begins.
    const daily = TIME_SERIES_TABLES.filter((x) => x.partitionMs === DAY_MS);
    expect(created.filter((name) => daily.some((x) => name.startsWith(`${x.table}_p`)))).toHaveLength(daily.length);
    expect(await manager.ensurePartitions(later)).toEqual([]);
  });

  it('routes rows to the partition of their day, and the natural key makes a replay a no-op', async () => {
    const host = randomUUID();
    const insert = `INSERT INTO host_metrics (host_id, ts, cpu_percent, load1, load5, load15, memory_used, memory_total, disk_used, disk_total, network_rx, network_tx)
      VALUES ($1, $2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1) ON CONFLICT DO NOTHING`;
    const ts = new Date();
    await t.sql.query(insert, [host, ts]);
    await t.sql.query(insert, [host, ts]);
    const rows = await t.sql.query<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM host_metrics WHERE host_id = $1`, [host]);
    const today = new Date(ts);
    today.setUTCHours(0, 0, 0, 0);
    expect(rows).toEqual([{ part: partitionName('host_metrics', today) }]);
  });
});
