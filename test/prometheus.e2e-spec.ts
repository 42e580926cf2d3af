import { readFileSync } from 'node:fs';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { hostMetric } from './support/telemetry.js';
import { startIsolatedTestApp } from './support/isolated-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The value of one sample line, e.g. `dockpulse_agents_connected 1`, or undefined when absent. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** The value of the one sample of `name` carrying every label given (others may be there too), or undefined. */
const labelled = (text: string, name: string, labels: Record<string, string>): number | undefined => {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const lines = text.split('\n').filter((l) => l.startsWith(`${name}{`) && parts.every((part) => l.slice(0, l.lastIndexOf('}')).includes(part)));
  if (lines.length > 1) throw new Error(`${lines.length} samples of ${name} match ${parts.join(',')}`);
  return lines.length ? Number(lines[0].slice(lines[0].lastIndexOf(' ') + 1)) : undefined;
};

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  let tenant: Tenant;
  let agent: AgentClient;
  let agentToken: string;
  let hostId: string;
  beforeAll(async () => {
    // Its own database: the tenant must be the instance's first organization, whose owner runs retention.
    t = await startIsolatedTestApp({ BUFFER_FLUSH_MS: '50' });
    tenant = await signup(t);
    ({ agentToken, hostId } = await enrolledHost(t, tenant));
    agent = await AgentClient.connect(t.baseUrl, agentToken);
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  const scrape = async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('is served without credentials, outside /api, with the process metrics', async () => {
    const text = await scrape();
    expect(text).toMatch(/^# HELP process_cpu_user_seconds_total/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    await t.http().get('/api/metrics').expect(404);
  });

  it('reports ingest and buffer counters per kind, and the agents connected', async () => {
    const now = Date.now();
    expect(await agent.send({ type: 'host_metrics', data: [hostMetric(now - 3_000), hostMetric(now - 2_000), hostMetric(now - 1_000)] })).toEqual(expect.objectContaining({ type: 'ack' }));
    expect(await agent.send({ type: 'host_metrics', data: [hostMetric(now - 99 * 86_400_000)] })).toEqual(expect.objectContaining({ type: 'ack' }));
    expect(await agent.send({ type: 'host_metrics', data: [{}] })).toEqual(expect.objectContaining({ type: 'error', code: 'invalid_message' }));
    const text = await scrape();
    expect(sample(text, 'dockpulse_agents_connected')).toBe(1);
    expect(sample(text, 'dockpulse_buffer_flushed_rows_total{kind="host_metrics"}')).toBe(3);
    expect(sample(text, 'dockpulse_buffer_pending_rows{kind="host_metrics"}')).toBe(0);
    expect(sample(text, 'dockpulse_buffer_in_flight_rows{kind="host_metrics"}')).toBe(0);
    expect(sample(text, 'dockpulse_buffer_failed_flushes_total{kind="host_metrics"}')).toBe(0);
    expect(sample(text, 'dockpulse_ingest_accepted_frames_total{kind="host_metrics"}')).toBe(2);
    expect(sample(text, 'dockpulse_ingest_rejected_frames_total{kind="host_metrics"}')).toBe(1);
    expect(sample(text, 'dockpulse_ingest_expired_rows_total{kind="host_metrics"}')).toBe(1);
    expect(sample(text, 'dockpulse_ingest_rows_per_second{kind="host_metrics"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE dockpulse_buffer_flushed_rows_total counter$/m);
    expect(text).toMatch(/^# TYPE dockpulse_buffer_pending_rows gauge$/m);
  });

  it('reports the rollup backlog, none once a read of the daily tier has settled every tier', async () => {
    expect(await scrape()).toMatch(/^# TYPE dockpulse_rollup_pending_periods gauge$/m);
    const now = Date.now();
    expect(await agent.send({ type: 'host_metrics', data: [hostMetric(now - 120_000), hostMetric(now - 60_000)] })).toEqual(expect.objectContaining({ type: 'ack' }));
    const from = new Date(now - 600_000).toISOString();
    await t.http().get(`/api/hosts/${hostId}/metrics`).query({ from, bucket: '1d' }).auth(tenant.token, { type: 'bearer' }).expect(200);
    expect(sample(await scrape(), 'dockpulse_rollup_pending_periods')).toBe(0);
  });

  it('reports the retention job', async () => {
    expect(sample(await scrape(), 'dockpulse_retention_last_run_timestamp_seconds')).toBe(0);
    const before = Date.now() / 1000;
    await t.http().post('/api/storage/retention/run').auth(tenant.token, { type: 'bearer' }).expect(200);
    const text = await scrape();
    expect(sample(text, 'dockpulse_retention_last_run_timestamp_seconds')).toBeGreaterThanOrEqual(Math.floor(before));
    expect(sample(text, 'dockpulse_retention_dropped_partitions_total')).toBe(0);
  });

  it('times every frame from arrival to answer, on the socket and over HTTP, and counts refusals by code', async () => {
    const before = await scrape();
    const acks = (text: string, kind: string) => labelled(text, 'dockpulse_ingest_ack_seconds_count', { kind }) ?? 0;
    const refused = (text: string, kind: string, code: string) => labelled(text, 'dockpulse_ingest_refused_frames_total', { kind, code }) ?? 0;
    expect(await agent.send({ type: 'host_metrics', data: [hostMetric(Date.now() - 500)] })).toEqual(expect.objectContaining({ type: 'ack' }));
    expect(await agent.send({ type: 'host_metrics', data: [{}] })).toEqual(expect.objectContaining({ type: 'error', code: 'invalid_message' }));
    expect(await agent.send({ type: 'no_such_kind', data: [] })).toEqual(expect.objectContaining({ type: 'error', code: 'unknown_type' }));
    await t.http().post('/api/agent/ingest').auth(agentToken, { type: 'bearer' }).send({ type: 'host_metrics', seq: 1, data: [hostMetric(Date.now() - 400)] }).expect(200);
    const after = await scrape();
    // Two acks and one refusal of host_metrics (the socket's and HTTP's ack both counted), the unknown type as `unknown`.
    expect(acks(after, 'host_metrics') - acks(before, 'host_metrics')).toBe(3);
    expect(acks(after, 'unknown') - acks(before, 'unknown')).toBe(1);
    expect(refused(after, 'host_metrics', 'invalid_message') - refused(before, 'host_metrics', 'invalid_message')).toBe(1);
    expect(refused(after, 'unknown', 'unknown_type') - refused(before, 'unknown', 'unknown_type')).toBe(1);
    expect(labelled(after, 'dockpulse_ingest_ack_seconds_bucket', { kind: 'host_metrics', le: '+Inf' })).toBe(acks(after, 'host_metrics'));
    // An agent's made-up type never becomes a label of the new series.
    expect(after).not.toMatch(/^dockpulse_ingest_(ack_seconds|refused_frames)\w*\{[^}]*no_such_kind/m);
    expect(after).toMatch(/^# TYPE dockpulse_ingest_ack_seconds histogram$/m);
    expect(after).toMatch(/^# TYPE dockpulse_ingest_refused_frames_total counter$/m);
    // The rejected counter is left as it was: refusals of a known frame type only.
    expect(sample(after, 'dockpulse_ingest_rejected_frames_total{kind="host_metrics"}')! - sample(before, 'dockpulse_ingest_rejected_frames_total{kind="host_metrics"}')!).toBe(1);
  });

  it('times every flush of the batching buffer by kind and outcome', async () => {
    const flushes = (text: string) => labelled(text, 'dockpulse_buffer_flush_seconds_count', { kind: 'host_metrics', outcome: 'ok' }) ?? 0;
    const before = flushes(await scrape());
    expect(await agent.send({ type: 'host_metrics', data: [hostMetric(Date.now() - 300)] })).toEqual(expect.objectContaining({ type: 'ack' }));
    const text = await scrape();
    expect(flushes(text)).toBe(before + 1);
    expect(labelled(text, 'dockpulse_buffer_flush_seconds_sum', { kind: 'host_metrics', outcome: 'ok' })).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE dockpulse_buffer_flush_seconds histogram$/m);
  });

  it('times HTTP requests by route template, never the raw path', async () => {
    const labels = { method: 'GET', route: '/api/hosts/:hostId', status_code: '200' };
    const before = labelled(await scrape(), 'dockpulse_http_request_duration_seconds_count', labels) ?? 0;
    await t.http().get(`/api/hosts/${hostId}`).auth(tenant.token, { type: 'bearer' }).expect(200);
    await t.http().get('/api/no/such/route').expect(404);
    const text = await scrape();
    expect(labelled(text, 'dockpulse_http_request_duration_seconds_count', labels)).toBe(before + 1);
    expect(labelled(text, 'dockpulse_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(hostId);
    expect(text).not.toContain('/api/no/such/route');
  });

  it('counts sockets per gateway, and says what it runs on', async () => {
    expect(labelled(await scrape(), 'dockpulse_sockets', { gateway: 'live' })).toBe(0);
    const live = await LiveClient.connect(t, tenant.token);
    try {
      const text = await scrape();
      expect(labelled(text, 'dockpulse_sockets', { gateway: 'agent' })).toBe(1);
      expect(labelled(text, 'dockpulse_sockets', { gateway: 'live' })).toBe(1);
      const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
      expect(labelled(text, 'dockpulse_build_info', { version, node: process.version })).toBe(1);
      // This app runs without REDIS_URL: no connection, 0 (test/several-instances.e2e-spec.ts shows 1 with Redis).
      expect(sample(text, 'dockpulse_redis_connected')).toBe(0);
      const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';
      expect(labelled(text, 'dockpulse_database_info', { engine })).toBe(1);
      if (engine === 'pglite') {
        expect(text).not.toMatch(/^dockpulse_db_pool_/m);
      } else {
        for (const pool of ['main', 'ingest']) {
          expect(labelled(text, 'dockpulse_db_pool_total', { pool })).toBeGreaterThanOrEqual(1);
          expect(labelled(text, 'dockpulse_db_pool_in_use', { pool })).toBeGreaterThanOrEqual(0);
          expect(labelled(text, 'dockpulse_db_pool_waiting', { pool })).toBe(0);
        }
        expect(labelled(text, 'dockpulse_db_pool_total', { pool: 'ingest' })).toBe(6);
      }
    } finally {
      await live.close();
    }
  });

  it('exports every metric the Grafana dashboard queries', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../deploy/grafana/dockpulse.json', import.meta.url), 'utf8')) as {
      __inputs: { name: string }[];
      panels: { targets: { expr: string }[] }[];
    };
    expect(dashboard.__inputs.map((input) => input.name)).toEqual(['DS_PROMETHEUS']);
    const text = await scrape();
    const exported = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name, type]));
    const queried = new Set(dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/\b(?:dockpulse|nodejs|process)_\w+/g) ?? [])));
    expect(queried.size).toBeGreaterThanOrEqual(10);
    const missing = [...queried].filter((name) => {
      const histogram = /^(.+)_(bucket|sum|count)$/.exec(name);
      return !(exported.has(name) || (histogram && exported.get(histogram[1]) === 'histogram'));
    });
    expect(missing).toEqual([]);
  });

  it('keeps each application on its own registry, so two in one process do not collide', async () => {
    const other = await startTestApp();
    try {
      const text = (await other.http().get('/metrics').expect(200)).text;
      expect(sample(text, 'dockpulse_agents_connected')).toBe(0);
      // Its own histograms too: no frame reached it.
      expect(text).not.toMatch(/^dockpulse_ingest_ack_seconds_count/m);
      expect(sample(await scrape(), 'dockpulse_agents_connected')).toBe(1);
    } finally {
      await other.close();
    }
  });
});
