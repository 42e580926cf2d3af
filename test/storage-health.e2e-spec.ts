import { retentionSettings } from '../src/config/retention-setting.js';
import { TIME_SERIES_TABLES } from '../src/database/time-series-tables.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId, hostMetric, logLine, metric, processInfo } from './support/telemetry.js';
import { startIsolatedTestApp } from './support/isolated-app.js';
import type { TestApp } from './support/test-app.js';

const DAY = 86_400_000;
const SMALL_TABLES = ['organizations', 'users', 'hosts', 'containers', 'commands', 'enrollment_tokens'];

interface Figures {
  rows: number;
  rowsExact: boolean;
  bytes: number;
  oldest: string | null;
  newest: string | null;
}

describe('GET /api/storage/health', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let agent: { authorization: string };
  beforeAll(async () => {
    // Its own database: the tenant must be the instance's first organization (instance-operators.e2e-spec.ts).
    t = await startIsolatedTestApp({ BUFFER_FLUSH_MS: '50', RETENTION_METRICS: '30d', RETENTION_LOGS: '2h', RETENTION_PROCESSES: '3d', RETENTION_COMMANDS: '7d' });
    tenant = await signup(t);
    admin = await addUser(t, tenant, 'admin');
    agent = { authorization: `Bearer ${(await enrolledHost(t, tenant)).agentToken}` };
  });
  afterAll(() => t.close());

  const health = async (token = admin) => (await t.http().get('/api/storage/health').auth(token, { type: 'bearer' }).expect(200)).body;
  let seq = 0;
  const ingest = (frame: Record<string, unknown>) =>
    t.http().post('/api/agent/ingest').set(agent).send({ seq: ++seq, ...frame }).expect(200, { type: 'ack', seq });

  it("answers the instance operators (the first organization's owners and admins), and nobody else", async () => {
    await t.http().get('/api/storage/health').expect(401);
    await t.http().get('/api/storage/health').set(agent).expect(401);
    await t.http().get('/api/storage/health').auth(await addUser(t, tenant, 'viewer'), { type: 'bearer' }).expect(403);
    await health(admin);
    await health(tenant.token);
  });

  it('has the contract shape, with every table and the retention as configured', async () => {
    const body = await health();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['databaseSizeBytes', 'tables', 'retention', 'buffers', 'ingest']));
    expect(body.databaseSizeBytes).toBeGreaterThan(1_000_000);
    expect(Object.keys(body.tables).sort()).toEqual([...TIME_SERIES_TABLES.map((x) => x.table), ...SMALL_TABLES].sort());
    for (const figures of Object.values<Figures>(body.tables)) {
      expect(figures).toEqual(
        expect.objectContaining({ rows: expect.any(Number), rowsExact: expect.any(Boolean), bytes: expect.any(Number), oldest: figures.oldest, newest: figures.newest }),
      );
      expect(figures.bytes).toBeGreaterThan(0);
    }
    expect(body.tables.container_metrics.partitions).toBeGreaterThanOrEqual(33);
    // Every declared retention is reported (a new kind adds its own); the configured ones as configured.
    expect(Object.keys(body.retention).sort()).toEqual(retentionSettings().map((s) => s.name).sort());
    expect(body.retention).toEqual(expect.objectContaining({ metrics: '30d', logs: '2h', processes: '3d', rollups: '30d', commands: '7d' }));
    expect(Object.keys(body.buffers)).toEqual(expect.arrayContaining(['metrics', 'host_metrics', 'logs', 'processes']));
    expect(body.buffers.metrics).toEqual(expect.objectContaining({ pendingRows: expect.any(Number), flushedRows: expect.any(Number), failedFlushes: 0 }));
    expect(body.ingest).toEqual(expect.objectContaining({ rowsPerSecond: expect.any(Number) }));
    expect(body.retention).toEqual(expect.objectContaining({ rollupsHourly: '400d', rollupsDaily: '1825d' }));
    for (const kind of ['container', 'host']) {
      expect(body.tiers[kind]).toEqual({
        raw: body.tables[`${kind}_metrics`].bytes,
        minute: body.tables[`${kind}_metrics_1m`].bytes,
        hour: body.tables[`${kind}_metrics_1h`].bytes,
        day: body.tables[`${kind}_metrics_1d`].bytes,
      });
    }
    expect(body.bytesPerHostPerDay).toEqual(expect.any(Number));
  });

  it('counts ingested rows exactly, and reports the true oldest and newest timestamps', async () => {
    const before = (await health()).tables;
    const now = Date.now();
    const [a, b] = [dockerId(), dockerId()];
    await ingest({ type: 'metrics', data: [metric(a, now - 20 * DAY), metric(a, now - 19 * DAY), metric(b, now - 20 * DAY + 1_000), metric(b, now - 60_000)] });
    await ingest({ type: 'host_metrics', data: [hostMetric(now - 25 * DAY), hostMetric(now - 10 * DAY), hostMetric(now - 5_000)] });
    await ingest({ type: 'logs', data: [logLine(a, now - 30 * 60_000, 'first'), logLine(a, now - 20 * 60_000, 'second'), logLine(b, now - 10 * 60_000, 'third')] });
    await ingest({ type: 'processes', ts: now - 2 * DAY, data: [processInfo(1), processInfo(2)] });
    await ingest({ type: 'processes', ts: now - 1_000, data: [processInfo(1), processInfo(2), processInfo(3)] });

    const after = (await health()).tables;
    const added = { container_metrics: 4, host_metrics: 3, container_logs: 3, process_samples: 5 };
    for (const [table, rows] of Object.entries(added)) {
      expect({ table, exact: after[table].rowsExact, added: after[table].rows - before[table].rows }).toEqual({ table, exact: true, added: rows });
      const [truth] = await t.sql.query<{ rows: number; oldest: Date; newest: Date }>(`SELECT count(*)::int AS rows, min(ts) AS oldest, max(ts) AS newest FROM ${table}`);
      expect({ table, ...after[table] }).toMatchObject({ table, rows: truth.rows, oldest: truth.oldest.toISOString(), newest: truth.newest.toISOString() });
      expect(after[table].bytes).toBeGreaterThanOrEqual(before[table].bytes);
    }
    // Ours are the extremes on a fresh database; with earlier suites' data they are at least inside the range.
    expect(Date.parse(after.container_metrics.oldest)).toBeLessThanOrEqual(now - 20 * DAY);
    expect(Date.parse(after.host_metrics.oldest)).toBeLessThanOrEqual(now - 25 * DAY);
    expect(Date.parse(after.host_metrics.newest)).toBeGreaterThanOrEqual(now - 5_000);
    expect(Date.parse(after.process_samples.oldest)).toBeLessThanOrEqual(now - 2 * DAY);

    for (const table of SMALL_TABLES) {
      const [truth] = await t.sql.query<{ rows: number; oldest: Date | null; newest: Date | null }>(
        `SELECT count(*)::int AS rows, min(created_at) AS oldest, max(created_at) AS newest FROM ${table}`,
      );
      expect({ table, ...after[table] }).toMatchObject({
        table,
        rows: truth.rows,
        rowsExact: true,
        oldest: truth.oldest?.toISOString() ?? null,
        newest: truth.newest?.toISOString() ?? null,
      });
    }
    expect(after.containers.rows - before.containers.rows).toBe(2);
  });

  it('reports the buffers and a recent ingest rate after ingesting', async () => {
    await ingest({ type: 'host_metrics', data: [hostMetric(Date.now() - 2_000), hostMetric(Date.now() - 1_000)] });
    const body = await health();
    expect(body.buffers.host_metrics).toEqual(expect.objectContaining({ pendingRows: 0, flushedRows: 5, failedFlushes: 0 }));
    expect(body.buffers.metrics.flushedRows).toBe(4);
    expect(body.ingest.rowsPerSecond).toBeGreaterThan(0);
    expect(body.ingest.kinds.host_metrics).toEqual(expect.objectContaining({ rowsPerSecond: expect.any(Number), acceptedFrames: 2 }));
    expect(body.ingest.kinds.host_metrics.rowsPerSecond).toBeGreaterThan(0);
  });
});
