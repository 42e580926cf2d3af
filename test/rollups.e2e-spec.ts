import { PartitionManager } from '../src/database/partition-manager.js';
import { rebuildRollups } from '../src/rollups/rebuild-rollups.js';
import { RollupService } from '../src/rollups/rollup.service.js';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId, hostMetric, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const S = 1_000;
const MIN = 60_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ENV = { BUFFER_FLUSH_MS: '50', RETENTION_METRICS: '2h', RETENTION_ROLLUPS: '30d', RETENTION_CRON: '0 0 1 1 *' };

interface RollupRow {
  ts: string;
  samples: number;
  cpu_avg: number;
  cpu_max: number;
  network_rx: number;
  block_write: number;
}

describe('per-minute rollups', () => {
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;
  let docker: string;
  let containerId: string;
  /** A minute 30 minutes ago. */
  const minute = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;

  beforeAll(async () => {
    t = await startTestApp(ENV);
    tenant = await signup(t);
    host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    docker = dockerId();
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  const get = (path: string) => t.http().get(path).auth(tenant.token, { type: 'bearer' });
  const sample = (offsetMs: number, cpu: number, rx: number) => metric(docker, iso(minute + offsetMs), { cpuPercent: cpu, networkRx: rx, blockWrite: 2 * rx });
  const send = async (type: string, data: unknown[]) => expect(await agent.send({ type, data })).toEqual(expect.objectContaining({ type: 'ack' }));
  const rollupRows = () =>
    t.sql.query<RollupRow>(
      `SELECT ${"to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"} AS ts, samples, cpu_avg, cpu_max, network_rx::float8 AS network_rx,
              block_write::float8 AS block_write
       FROM container_metrics_1m WHERE container_id = $1 ORDER BY ts`,
      [containerId],
    );
  const minutes = async (from: number, to: number) =>
    (await get(`/api/containers/${containerId}/metrics?from=${iso(from)}&to=${iso(to)}&bucket=1m`).expect(200)).body;

  it('are maintained as samples arrive, without any rebuild or query', async () => {
    await send('metrics', [sample(10 * S, 10, 1000), sample(20 * S, 20, 1600), sample(70 * S, 30, 2300)]);
    const list = (await get(`/api/hosts/${host.hostId}/containers`).expect(200)).body as Array<{ id: string; dockerId: string }>;
    containerId = list.find((c) => c.dockerId === docker)!.id;
    // The worker runs on its own about once a second, and takes a series' newest minute once the
    // series has been quiet for 10 s: poll the table, never the API (which would settle it).
    let rows: RollupRow[] = [];
    for (let i = 0; i < 150 && rows.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await rollupRows();
    }
    expect(rows).toEqual([
      { ts: iso(minute), samples: 2, cpu_avg: 15, cpu_max: 20, network_rx: 600, block_write: 1200 },
      { ts: iso(minute + MIN), samples: 1, cpu_avg: 30, cpu_max: 30, network_rx: 700, block_write: 1400 },
    ]);
    expect(await minutes(minute, minute + 2 * MIN)).toEqual([
      { ts: iso(minute + MIN), samples: 1, cpu: { avg: 30, max: 30 }, memory: { avg: 100_000_000, max: 100_000_000 }, networkRx: 700, networkTx: 0, blockRead: 0, blockWrite: 1400 },
      { ts: iso(minute), samples: 2, cpu: { avg: 15, max: 20 }, memory: { avg: 100_000_000, max: 100_000_000 }, networkRx: 600, networkTx: 0, blockRead: 0, blockWrite: 1200 },
    ]);
  });

  it('recompute a minute and its successor’s when late samples arrive, and a replay changes nothing', async () => {
    // 40 s lands before the stored 70 s sample (whose delta shrinks), 5 s before the first one ever.
    const late = [sample(40 * S, 40, 2000), sample(5 * S, 5, 900)];
    await send('metrics', late);
    const expected = [
      expect.objectContaining({ ts: iso(minute + MIN), samples: 1, networkRx: 2300 - 2000 }),
      expect.objectContaining({ ts: iso(minute), samples: 4, cpu: { avg: 18.75, max: 40 }, networkRx: 0 + 100 + 600 + 400, blockWrite: 2 * 1100 }),
    ];
    expect(await minutes(minute, minute + 2 * MIN)).toEqual(expected);
    await send('metrics', late);
    expect(await minutes(minute, minute + 2 * MIN)).toEqual(expected);
    expect((await rollupRows()).map((row) => row.samples)).toEqual([4, 1]);
  });

  it('a set-based rebuild from raw samples gives the rows continuous maintenance gave', async () => {
    const maintained = await rollupRows();
    await t.sql.query('DELETE FROM container_metrics_1m WHERE container_id = $1', [containerId]);
    await rebuildRollups(t.sql, new Date(minute - HOUR), new Date(minute + HOUR));
    expect(await rollupRows()).toEqual(maintained);
  });

  it('outlive the raw samples: bucketed queries reach past the raw retention, raw queries never do', async () => {
    const old = minute - 5 * HOUR; // raw retention is 2 h, rollups 30 d
    await t.app.get(PartitionManager).ensurePartitions(new Date(old));
    const insert = (ts: number, rx: number) =>
      t.sql.query(
        `INSERT INTO container_metrics (host_id, container_id, ts, cpu_percent, memory_used, memory_limit, network_rx, network_tx, block_read, block_write, pids)
         VALUES ($1, $2, $3, 50, 1000, 2000, $4, 0, 0, 0, 3)`,
        [host.hostId, containerId, iso(ts), rx],
      );
    await insert(old, 100);
    await insert(old + 30 * S, 400);
    await insert(old + 60 * S, 1000);
    await t.sql.query(
      `INSERT INTO host_metrics (host_id, ts, cpu_percent, load1, load5, load15, memory_used, memory_total, disk_used, disk_total, network_rx, network_tx)
       VALUES ($1, $2, 25, 1, 1, 1, 10, 20, 30, 40, 500, 600)`,
      [host.hostId, iso(old)],
    );
    await rebuildRollups(t.sql, new Date(old), new Date(old + 2 * MIN));

    expect(await minutes(old - MIN, old + 5 * MIN)).toEqual([
      expect.objectContaining({ ts: iso(old + MIN), samples: 1, networkRx: 600 }),
      expect.objectContaining({ ts: iso(old), samples: 2, cpu: { avg: 50, max: 50 }, networkRx: 300 }),
    ]);
    const hostBuckets = (await get(`/api/hosts/${host.hostId}/metrics?from=${iso(old - HOUR)}&to=${iso(old + HOUR)}&bucket=1h`).expect(200)).body;
    expect(hostBuckets).toEqual([expect.objectContaining({ samples: 1, cpu: { avg: 25, max: 25 }, disk: { last: 30, max: 30, total: 40 } })]);

    const edge = Date.now() - 2 * HOUR;
    const raw = (await get(`/api/containers/${containerId}/metrics?from=${iso(old)}&to=${iso(Date.now())}`).expect(200)).body as Array<{ ts: string }>;
    expect(raw.length).toBeGreaterThan(0);
    expect(raw.every((row) => Date.parse(row.ts) >= edge)).toBe(true);
    const rawBuckets = (await get(`/api/containers/${containerId}/metrics?from=${iso(old)}&bucket=30s`).expect(200)).body as Array<{ ts: string }>;
    expect(rawBuckets.every((row) => Date.parse(row.ts) >= edge - 30 * S)).toBe(true);
    expect((await get(`/api/hosts/${host.hostId}/metrics?from=${iso(old)}&to=${iso(old + HOUR)}`).expect(200)).body).toEqual([]);
    expect((await get(`/api/metrics/containers/history?hours=24&containerId=${containerId}`).expect(200)).body.every((row: { ts: string }) => Date.parse(row.ts) >= edge)).toBe(true);
  });

  it('roll up, after a restart, minutes whose samples were committed but not yet rolled up', async () => {
    const recent = Math.floor(Date.now() / MIN) * MIN - 3 * MIN;
    // Written behind the writer's back, as if the process died between the flush and the rollup.
    await t.sql.query(
      `INSERT INTO container_metrics (host_id, container_id, ts, cpu_percent, memory_used, memory_limit, network_rx, network_tx, block_read, block_write, pids)
       VALUES ($1, $2, $3, 70, 1000, 2000, 5, 0, 0, 0, 3)`,
      [host.hostId, containerId, iso(recent + 7 * S)],
    );
    await t.app.get(RollupService).settle();
    const rolledUp = async () => (await rollupRows()).some((row) => row.ts === iso(recent));
    expect(await rolledUp()).toBe(false);

    await agent.close();
    await t.close();
    t = await startTestApp({ ...ENV, DATA_DIR: t.dataDir });
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    let found = false;
    for (let i = 0; i < 100 && !found; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      found = await rolledUp();
    }
    expect(found).toBe(true);
    expect(await minutes(recent, recent + MIN)).toEqual([expect.objectContaining({ ts: iso(recent), samples: 1, cpu: { avg: 70, max: 70 } })]);
  });

  it('roll up host samples continuously too', async () => {
    const second = await enrolledHost(t, tenant, 'second');
    const client = await AgentClient.connect(t.baseUrl, second.agentToken);
    const at = minute + 5 * MIN;
    const data = [hostMetric(iso(at + S), { networkRx: 100 }), hostMetric(iso(at + 2 * S), { networkRx: 160, cpuPercent: 50 })];
    expect(await client.send({ type: 'host_metrics', data })).toEqual(expect.objectContaining({ type: 'ack' }));
    await client.close();
    const rows = async () =>
      t.sql.query<{ samples: number; cpu_max: number; network_rx: number }>(
        'SELECT samples, cpu_max, network_rx::float8 AS network_rx FROM host_metrics_1m WHERE host_id = $1 AND ts = $2',
        [second.hostId, iso(at)],
      );
    let found: Array<{ samples: number; cpu_max: number; network_rx: number }> = [];
    for (let i = 0; i < 150 && found.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = await rows();
    }
    expect(found).toEqual([{ samples: 2, cpu_max: 50, network_rx: 60 }]);
  });
});
