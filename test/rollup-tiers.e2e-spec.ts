import { PartitionManager } from '../src/database/partition-manager.js';
import { DAY_MS } from '../src/database/time-series-tables.js';
import { toHostBucket } from '../src/host-metrics/dto/host-metric.view.js';
import { HostMetricsQueryRepository } from '../src/host-metrics/host-metrics-query.repository.js';
import { toContainerBucket } from '../src/metrics/dto/container-metric.view.js';
import { MetricsQueryRepository } from '../src/metrics/metrics-query.repository.js';
import { DAILY_PARTITION_MS, HOURLY_PARTITION_MS } from '../src/rollups/rollup-tables.js';
import { rebuildRollups } from '../src/rollups/rebuild-rollups.js';
import { RetentionService } from '../src/storage/retention.service.js';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId, hostMetric, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const S = 1_000;
const MIN = 60_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ENV = {
  BUFFER_FLUSH_MS: '50',
  RETENTION_METRICS: '3d',
  RETENTION_ROLLUPS: '3d',
  RETENTION_ROLLUPS_HOURLY: '10d',
  RETENTION_ROLLUPS_DAILY: '60d',
  RETENTION_CRON: '0 0 1 1 *',
};
/** A UTC midnight at least two hours ago: samples around it cross an hour and a day boundary. */
const MIDNIGHT = Math.floor((Date.now() - 2 * HOUR) / DAY_MS) * DAY_MS;

/** Equal up to float rounding in the last digits (means are folded in a different order than from raw). */
function expectClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect({ path, close: Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)) }).toEqual({ path, close: true });
  } else if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual).toEqual(expected);
  }
}

describe('hourly and daily rollup tiers', () => {
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;

  beforeAll(async () => {
    t = await startTestApp(ENV);
    tenant = await signup(t);
    host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  const get = (path: string) => t.http().get(path).auth(tenant.token, { type: 'bearer' });
  const send = async (type: string, data: unknown[]) => {
    for (let i = 0; i < data.length; i += 500) {
      expect(await agent.send({ type, data: data.slice(i, i + 500) })).toEqual(expect.objectContaining({ type: 'ack' }));
    }
  };
  const containerIdOf = async (docker: string) => {
    const list = (await get(`/api/hosts/${host.hostId}/containers`).expect(200)).body as Array<{ id: string; dockerId: string }>;
    return list.find((c) => c.dockerId === docker)!.id;
  };
  const counters = (value: number) => ({ networkRx: value, networkTx: 2 * value, blockRead: 3 * value, blockWrite: 4 * value });

  /** The API's buckets and the same buckets computed from raw samples (no rollup involved), over [from, to). */
  async function containerBuckets(id: string, from: number, to: number, bucket: string, bucketMs: number) {
    const api = (await get(`/api/containers/${id}/metrics?from=${iso(from)}&to=${iso(to)}&bucket=${bucket}&limit=5000`).expect(200)).body;
    const start = Math.floor(from / bucketMs) * bucketMs;
    const end = Math.ceil(to / bucketMs) * bucketMs;
    const raw = await t.app.get(MetricsQueryRepository).buckets('raw', id, new Date(start), new Date(end), bucketMs, 5000);
    return { api, raw: raw.map(toContainerBucket) };
  }
  async function hostBuckets(from: number, to: number, bucket: string, bucketMs: number) {
    const api = (await get(`/api/hosts/${host.hostId}/metrics?from=${iso(from)}&to=${iso(to)}&bucket=${bucket}&limit=5000`).expect(200)).body;
    const start = Math.floor(from / bucketMs) * bucketMs;
    const end = Math.ceil(to / bucketMs) * bucketMs;
    const raw = await t.app.get(HostMetricsQueryRepository).buckets('raw', host.hostId, new Date(start), new Date(end), bucketMs, 5000);
    return { api, raw: raw.map(toHostBucket) };
  }
  const tierRows = (table: string, key: string, id: string) =>
    t.sql.query<{ ts: Date; samples: number; network_rx: number }>(`SELECT ts, samples, network_rx::float8 AS network_rx FROM ${table} WHERE ${key} = $1 ORDER BY ts`, [id]);

  describe('across an hour and a day boundary', () => {
    const docker = dockerId();
    let id: string;
    const from = MIDNIGHT - 2 * HOUR;
    const to = MIDNIGHT + HOUR;

    it('keeps hours and days current as samples arrive, equal to the raw computation', async () => {
      // 10 s samples from 22:00 to 01:00, a counter reset at 23:59:50 → 00:00:00 (across minute, hour and day).
      const samples = [];
      for (let ts = from, i = 0; ts < to; ts += 10 * S, i++) {
        const counter = ts < MIDNIGHT ? 1_000_000 + 997 * i : 31 * (i - 720) + 5;
        samples.push(metric(docker, iso(ts), { cpuPercent: (i % 37) * 0.75 + 0.1, memoryUsed: 5_000_000 + (i % 13) * 4096, pids: i % 9, ...counters(counter) }));
      }
      await send('metrics', samples);
      await send('host_metrics', samples.map((_, i) => hostMetric(iso(from + i * 10 * S), { cpuPercent: (i % 11) * 3.3, load1: i % 5, diskUsed: 1000 + i, networkRx: 10 * i })));
      id = await containerIdOf(docker);

      for (const [bucket, ms] of [['1m', MIN], ['1h', HOUR], ['2h', 2 * HOUR], ['1d', DAY_MS], ['7d', 7 * DAY_MS], ['5m', 5 * MIN]] as const) {
        const c = await containerBuckets(id, from, to, bucket, ms);
        expect(c.api.length).toBeGreaterThan(0);
        expectClose(c.api, c.raw, `container ${bucket}`);
        const h = await hostBuckets(from, to, bucket, ms);
        expectClose(h.api, h.raw, `host ${bucket}`);
      }
      const hours = await tierRows('container_metrics_1h', 'container_id', id);
      expect(hours.map((row) => [row.ts.getTime(), row.samples])).toEqual([[from, 360], [from + HOUR, 360], [MIDNIGHT, 360]]);
      // The reset counts the new value from zero: 5 at midnight, then 31 per sample.
      expect(hours[2].network_rx).toBe(5 + 31 * 359);
      const days = await tierRows('container_metrics_1d', 'container_id', id);
      expect(days.map((row) => [row.ts.getTime(), row.samples, row.network_rx])).toEqual([
        [MIDNIGHT - DAY_MS, 720, 997 * 719],
        [MIDNIGHT, 360, 5 + 31 * 359],
      ]);
    });

    it('refolds a settled hour and its day when late samples arrive, counter deltas included', async () => {
      // Between two stored samples of 23:30: its own delta, and the next sample's, change.
      const late = [metric(docker, iso(MIDNIGHT - 30 * MIN + 5 * S), { cpuPercent: 99, ...counters(1_000_000 + 997 * 540 + 500) })];
      await send('metrics', late);
      for (const [bucket, ms] of [['1h', HOUR], ['1d', DAY_MS], ['2h', 2 * HOUR]] as const) {
        const c = await containerBuckets(id, from, to, bucket, ms);
        expectClose(c.api, c.raw, bucket);
      }
      const hours = await tierRows('container_metrics_1h', 'container_id', id);
      expect(hours[1].samples).toBe(361);
      const c = await containerBuckets(id, from, to, '1d', DAY_MS);
      expect(c.api[1]).toEqual(expect.objectContaining({ samples: 721, networkRx: 997 * 719, cpu: expect.objectContaining({ max: 99 }) }));
    });

    it('a rebuild of all tiers from raw gives the rows maintenance gave', async () => {
      const read = () =>
        Promise.all<unknown>(
          ['container_metrics_1m', 'container_metrics_1h', 'container_metrics_1d'].map((table) =>
            t.sql.query(`SELECT * FROM ${table} WHERE container_id = $1 ORDER BY ts`, [id]),
          ),
        );
      const plain = async () => JSON.parse(JSON.stringify(await read())) as unknown;
      const maintained = await plain();
      for (const table of ['container_metrics_1m', 'container_metrics_1h', 'container_metrics_1d']) {
        await t.sql.query(`DELETE FROM ${table} WHERE container_id = $1`, [id]);
      }
      await rebuildRollups(t.sql, new Date(from), new Date(to));
      expectClose(await plain(), maintained);
    });
  });

  it('continues an hour after a restart mid-hour', async () => {
    const docker = dockerId();
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const at = (minute: number, rx: number) => metric(docker, iso(hour + minute * MIN), { cpuPercent: minute, ...counters(rx) });
    await send('metrics', [at(0, 100), at(10, 300), at(20, 600)]);
    const id = await containerIdOf(docker);
    await containerBuckets(id, hour, hour + HOUR, '1h', HOUR); // settles

    await agent.close();
    await t.close();
    t = await startTestApp({ ...ENV, DATA_DIR: t.dataDir });
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    await send('metrics', [at(30, 50), at(40, 150)]); // restarted container: counter reset

    const c = await containerBuckets(id, hour, hour + HOUR, '1h', HOUR);
    expectClose(c.api, c.raw);
    expect(c.api).toEqual([expect.objectContaining({ ts: iso(hour), samples: 5, networkRx: 200 + 300 + 50 + 100, cpu: { avg: 20, max: 40 } })]);
    const days = await containerBuckets(id, hour, hour + HOUR, '1d', DAY_MS);
    expectClose(days.api, days.raw);
  });

  describe('tier choice', () => {
    let id: string;
    const docker = dockerId();
    /** Marker rows, one value per tier, so an answer tells which tier served it. */
    const recent = Math.floor((Date.now() - DAY_MS) / DAY_MS) * DAY_MS + 2 * HOUR; // inside every retention
    const older = Math.floor((Date.now() - 5 * DAY_MS) / DAY_MS) * DAY_MS + 2 * HOUR; // past the minute tier's 3 d
    const oldest = Math.floor((Date.now() - 20 * DAY_MS) / DAY_MS) * DAY_MS + 2 * HOUR; // past the hourly tier's 10 d

    const insert = (table: string, ts: number, cpu: number) =>
      t.sql.query(
        `INSERT INTO ${table} (host_id, container_id, ts, samples, cpu_avg, cpu_max, memory_avg, memory_max, memory_limit,
           network_rx, network_tx, block_read, block_write, pids_max)
         VALUES ($1, $2, $3, 1, $4, $4, 1, 1, 1, 0, 0, 0, 0, 1)`,
        [host.hostId, id, iso(ts), cpu],
      );
    const cpuOf = async (bucket: string, from: number, to: number) =>
      ((await get(`/api/containers/${id}/metrics?from=${iso(from)}&to=${iso(to)}&bucket=${bucket}`).expect(200)).body as Array<{ cpu: { avg: number } }>).map(
        (b) => b.cpu.avg,
      );

    beforeAll(async () => {
      await send('metrics', [metric(docker, iso(Date.now() - 10 * MIN))]);
      id = await containerIdOf(docker);
      await cpuOf('1m', Date.now() - HOUR, Date.now()); // settles, then the sample's rollups make way for the markers
      for (const tier of ['1m', '1h', '1d']) await t.sql.query(`DELETE FROM container_metrics_${tier} WHERE container_id = $1`, [id]);
      await insert('container_metrics_1m', recent, 1);
      for (const ts of [recent, older]) await insert('container_metrics_1h', ts, 2);
      for (const ts of [recent, older, oldest]) await insert('container_metrics_1d', Math.floor(ts / DAY_MS) * DAY_MS, 3);
    });

    it('reads the coarsest tier whose resolution divides the bucket', async () => {
      expect(await cpuOf('1m', recent, recent + HOUR)).toEqual([1]);
      expect(await cpuOf('5m', recent, recent + HOUR)).toEqual([1]);
      expect(await cpuOf('1h', recent, recent + HOUR)).toEqual([2]);
      expect(await cpuOf('2h', recent, recent + HOUR)).toEqual([2]);
      expect(await cpuOf('1d', recent, recent + HOUR)).toEqual([3]);
      expect(await cpuOf('7d', recent, recent + HOUR)).toEqual([3]);
    });

    it('reaches past a tier’s retention only through a coarser tier, and clamps to the coarsest dividing one', async () => {
      expect(await cpuOf('1h', older, older + HOUR)).toEqual([2]);
      expect(await cpuOf('1m', older, older + HOUR)).toEqual([]); // the minute tier keeps 3 d
      expect(await cpuOf('1h', oldest, oldest + HOUR)).toEqual([]); // the hourly tier keeps 10 d
      expect(await cpuOf('1d', oldest, oldest + HOUR)).toEqual([3]);
      expect(await cpuOf('1d', oldest, Date.now())).toEqual([3, 3, 3]);
    });
  });

  it('drops each tier’s partitions by its width once past its retention', async () => {
    const manager = t.app.get(PartitionManager);
    const now = Date.now();
    await manager.ensurePartitions(new Date(now - 200 * DAY_MS)); // partitions long expired, as if written then
    const byTable = async () => {
      const parts = await manager.listPartitions();
      return (table: string) => parts.filter((p) => p.table === table);
    };
    const before = await byTable();
    for (const [table, width] of [['container_metrics_1h', HOURLY_PARTITION_MS], ['host_metrics_1d', DAILY_PARTITION_MS], ['container_metrics_1m', DAY_MS]] as const) {
      for (const p of before(table)) {
        expect(p.to!.getTime() - p.from!.getTime()).toBe(width);
        expect(p.from!.getTime() % width).toBe(0);
      }
    }
    // The job itself: its endpoint is for the instance's first organization, which on a shared PostgreSQL may be another spec's.
    const report = await t.app.get(RetentionService).run();
    const after = await byTable();
    for (const [table, retention] of [['container_metrics_1h', 10 * DAY_MS], ['host_metrics_1h', 10 * DAY_MS], ['container_metrics_1d', 60 * DAY_MS], ['host_metrics_1d', 60 * DAY_MS]] as const) {
      const dropped = report.droppedPartitions.filter((p) => p.table === table);
      expect(dropped.length).toBeGreaterThan(0);
      expect(dropped.every((p) => Date.parse(p.to) <= now - retention)).toBe(true);
      // What stays reaches back over the retention, no partition wholly past it.
      const kept = after(table);
      expect(kept[0].from!.getTime()).toBeLessThanOrEqual(now - retention);
      expect(kept.every((p) => p.to!.getTime() > now - retention - 10 * MIN)).toBe(true);
    }
  });
});
