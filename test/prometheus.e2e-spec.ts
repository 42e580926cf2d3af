import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { hostMetric } from './support/telemetry.js';
import { startIsolatedTestApp } from './support/isolated-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The value of one sample line, e.g. `dockpulse_agents_connected 1`, or undefined when absent. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  let tenant: Tenant;
  let agent: AgentClient;
  beforeAll(async () => {
    // Its own database: the tenant must be the instance's first organization, whose owner runs retention.
    t = await startIsolatedTestApp({ BUFFER_FLUSH_MS: '50' });
    tenant = await signup(t);
    agent = await AgentClient.connect(t.baseUrl, (await enrolledHost(t, tenant)).agentToken);
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

  it('reports the retention job', async () => {
    expect(sample(await scrape(), 'dockpulse_retention_last_run_timestamp_seconds')).toBe(0);
    const before = Date.now() / 1000;
    await t.http().post('/api/storage/retention/run').auth(tenant.token, { type: 'bearer' }).expect(200);
    const text = await scrape();
    expect(sample(text, 'dockpulse_retention_last_run_timestamp_seconds')).toBeGreaterThanOrEqual(Math.floor(before));
    expect(sample(text, 'dockpulse_retention_dropped_partitions_total')).toBe(0);
  });

  it('keeps each application on its own registry, so two in one process do not collide', async () => {
    const other = await startTestApp();
    try {
      const text = (await other.http().get('/metrics').expect(200)).text;
      expect(sample(text, 'dockpulse_agents_connected')).toBe(0);
      expect(sample(await scrape(), 'dockpulse_agents_connected')).toBe(1);
    } finally {
      await other.close();
    }
  });
});
