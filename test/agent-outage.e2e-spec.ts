import pg from 'pg';
import { AgentClient, type Answer } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { PrivateCluster } from './support/private-cluster.js';
import { container, dockerId, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

// Stops and restarts PostgreSQL: a cluster of its own (never the shared one), in the PostgreSQL run.
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describeOnPostgres('database outage (PostgreSQL stopped and restarted)', () => {
  let cluster: PrivateCluster | undefined;
  let t: TestApp;
  const pgctl = (action: 'start' | 'stop') => cluster![action]();
  beforeAll(async () => {
    cluster = await PrivateCluster.create();
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE dockpulse');
    await admin.end();
    t = await startTestApp({ DATABASE_URL: cluster.url('dockpulse'), BUFFER_FLUSH_MS: '100', BUFFER_LIMIT_ROWS: '100' });
  }, 60_000);
  afterAll(async () => {
    await cluster?.start();
    await t?.close();
    await cluster?.drop();
  });

  it('withholds acks while the database is down, answers unavailable at the bound, and acks after it returns with nothing lost or doubled', async () => {
    const tenant = await signup(t);
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    const id = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(id)] })).toMatchObject({ type: 'ack' });
    const frame = (offsetS: number, count: number) => ({ type: 'metrics', data: Array.from({ length: count }, (_, i) => metric(id, Date.now() - (offsetS + i) * 1000)) });

    const [frameA, frameB] = [frame(0, 40), frame(100, 40)];
    await pgctl('stop');
    try {
      const first = agent.send(frameA);
      const second = agent.send(frameB);
      expect(await within(first, 2_000)).toBe('pending');
      await t.http().get('/api/ready').expect(503);
      // The failed flushes keep their 80 rows; 40 more would pass the bound of 100.
      const refused = await agent.send(frame(200, 40));
      expect(refused).toMatchObject({ type: 'error', code: 'unavailable', retryAfterMs: expect.any(Number) });
      expect(await within(second, 10)).toBe('pending');
      await pgctl('start');
      const acks = await within(Promise.all([first, second]), 30_000);
      expect(acks).toEqual([expect.objectContaining({ type: 'ack' }), expect.objectContaining({ type: 'ack' })]);
    } finally {
      await pgctl('start');
    }
    const count = async () => (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM container_metrics WHERE host_id = $1', [hostId]))[0].n;
    expect(await count()).toBe(80);
    const replay: Answer = await agent.send(frameA);
    expect(replay).toMatchObject({ type: 'ack' });
    expect(await count()).toBe(80);
    await agent.close();
  });
});
