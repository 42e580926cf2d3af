import { spawnSync } from 'node:child_process';
import { AgentClient, type Answer } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { container, dockerId, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** pg_ctlcluster stop|start; starting a running cluster is fine (exit status 2, "already running"). */
function pgctl(action: 'start' | 'stop'): void {
  // Output ignored: the server started here must not inherit a pipe of this process.
  const { status } = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', action], { stdio: 'ignore' });
  if (status !== 0 && !(action === 'start' && status === 2)) throw new Error(`pg_ctlcluster ${action} exited with ${status}`);
}
const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

// Stops and restarts the local PostgreSQL server, so it only runs against it (DATABASE_URL set).
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describeOnPostgres('database outage (PostgreSQL stopped and restarted)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '100', BUFFER_LIMIT_ROWS: '100' });
  });
  afterAll(async () => {
    pgctl('start');
    await t.close();
  });

  it('withholds acks while the database is down, answers unavailable at the bound, and acks after it returns with nothing lost or doubled', async () => {
    const tenant = await signup(t);
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    const id = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(id)] })).toMatchObject({ type: 'ack' });
    const frame = (offsetS: number, count: number) => ({ type: 'metrics', data: Array.from({ length: count }, (_, i) => metric(id, Date.now() - (offsetS + i) * 1000)) });

    const [frameA, frameB] = [frame(0, 40), frame(100, 40)];
    pgctl('stop');
    try {
      const first = agent.send(frameA);
      const second = agent.send(frameB);
      expect(await within(first, 2_000)).toBe('pending');
      await t.http().get('/api/ready').expect(503);
      // The failed flushes keep their 80 rows; 40 more would pass the bound of 100.
      const refused = await agent.send(frame(200, 40));
      expect(refused).toMatchObject({ type: 'error', code: 'unavailable', retryAfterMs: expect.any(Number) });
      expect(await within(second, 10)).toBe('pending');
      pgctl('start');
      const acks = await within(Promise.all([first, second]), 30_000);
      expect(acks).toEqual([expect.objectContaining({ type: 'ack' }), expect.objectContaining({ type: 'ack' })]);
    } finally {
      pgctl('start');
    }
    const count = async () => (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM container_metrics WHERE host_id = $1', [hostId]))[0].n;
    expect(await count()).toBe(80);
    const replay: Answer = await agent.send(frameA);
    expect(replay).toMatchObject({ type: 'ack' });
    expect(await count()).toBe(80);
    await agent.close();
  });
});
