import { randomUUID } from 'node:crypto';
import { eventually } from './support/alert-receiver.js';
import { enrolledHost, hostWithContainer, signup, uniqueEmail } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { PrivateRedis } from './support/redis-server.js';
import { hostMetric, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shared = process.env.DATABASE_URL ? describe : describe.skip;

const redisConnected = async (t: TestApp) => Number(/^dockpulse_redis_connected (\d+)$/m.exec((await t.http().get('/metrics').expect(200)).text)?.[1]);

/** Two instances on one Redis (their own key prefix); on PostgreSQL they share the database too. */
function instances(env: () => Record<string, string>) {
  const pair = {} as { a: TestApp; b: TestApp };
  beforeAll(async () => {
    pair.a = await startTestApp(env());
    pair.b = await startTestApp(env());
    for (const t of [pair.a, pair.b]) await eventually(() => redisConnected(t), (up) => up === 1);
  });
  afterAll(async () => {
    await pair.a?.close();
    await pair.b?.close();
  });
  return pair;
}

describe('several instances on one Redis', () => {
  const prefix = `e2e-${randomUUID()}:`;
  const env = () => ({
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: prefix,
    // Shared, as by every deployment of several instances (each test app has its own DATA_DIR).
    NOTIFY_SECRET_KEY: `notify-key-of-${prefix}`,
    BUFFER_FLUSH_MS: '50',
    LOGIN_THROTTLE_LIMIT: '3',
    AGENT_RATE_LIMIT: '1',
    AGENT_RATE_BURST: '4',
  });
  const pair = instances(env);

  it('reports Redis connected in /metrics and /api/ready', async () => {
    expect(await redisConnected(pair.a)).toBe(1);
    const ready = await pair.a.http().get('/api/ready').expect(200);
    expect(ready.body.info.redis).toEqual({ status: 'up' });
  });

  it('redeems a ticket issued by one instance once, on whichever instance comes first', async () => {
    const tenant = await signup(pair.a);
    const ticket = await LiveClient.ticket(pair.a, tenant.token);
    const onB = await LiveClient.open(pair.b, `?ticket=${encodeURIComponent(ticket)}`);
    await expect(LiveClient.open(pair.a, `?ticket=${encodeURIComponent(ticket)}`)).rejects.toMatchObject({ statusCode: 401 });
    await expect(LiveClient.open(pair.b, `?ticket=${encodeURIComponent(ticket)}`)).rejects.toMatchObject({ statusCode: 401 });
    await onB.close();
  });

  it('counts login attempts across instances', async () => {
    const email = uniqueEmail('throttled');
    const statuses: number[] = [];
    for (const t of [pair.a, pair.b, pair.a, pair.b, pair.a]) {
      const res = await t.http().post('/api/auth/login').send({ email, password: 'wrong-password-42' });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  shared('with a shared database', () => {
    it('shows a dashboard on one instance the live frames of an agent on the other', async () => {
      const tenant = await signup(pair.a);
      const { agent, docker, containerId } = await hostWithContainer(pair.a, tenant);
      const dashboard = await LiveClient.connect(pair.b, tenant.token);
      const topic = `container:${containerId}:metrics`;
      expect(await dashboard.subscribe(topic)).toEqual({ topics: [topic], errors: [] });
      const ts = Date.now();
      // The subscription reaches the agent's instance through Redis a moment later: send until one arrives.
      const received = dashboard.next((f) => f.type === 'metrics', 10_000);
      for (let i = 0; i < 50 && !dashboard.frames.some((f) => f.type === 'metrics'); i++) {
        expect(await agent.send({ type: 'metrics', data: [metric(docker, ts + i * 1000, { cpuPercent: 42.5 })] })).toMatchObject({ type: 'ack' });
        await sleep(50);
      }
      const { frame } = await received;
      expect(frame).toMatchObject({ type: 'metrics', topic, data: [expect.objectContaining({ containerId, cpuPercent: 42.5 })] });
      await sleep(300);
      // Once each: never twice through Redis.
      const seen = dashboard.frames.filter((f) => f.type === 'metrics').flatMap((f) => f.data.map((d: { ts: string }) => d.ts));
      expect(new Set(seen).size).toBe(seen.length);
      await Promise.all([dashboard.close(), agent.close()]);
    });

    it('counts a host`s frames against one rate limit across instances', async () => {
      const tenant = await signup(pair.a);
      const { agentToken } = await enrolledHost(pair.a, tenant);
      const answers: { status: number; code: string; retryAfterMs?: number }[] = [];
      for (const t of [pair.a, pair.b, pair.a, pair.b, pair.a]) {
        const res = await t.http().post('/api/agent/ingest').auth(agentToken, { type: 'bearer' }).send({ type: 'host_metrics', seq: answers.length + 1, data: [hostMetric(Date.now())] });
        answers.push({ status: res.status, code: res.body.code ?? res.body.type, retryAfterMs: res.body.retryAfterMs });
      }
      expect(answers.map((a) => a.code)).toEqual(['ack', 'ack', 'ack', 'ack', 'rate_limited']);
      expect(answers[4].status).toBe(429);
      expect(answers[4].retryAfterMs).toBeGreaterThan(0);
      expect(answers[4].retryAfterMs).toBeLessThanOrEqual(1_000);
    });
  });
});

describe('an instance whose Redis is down at start-up', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await PrivateRedis.reserve();
    t = await startTestApp({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `e2e-${randomUUID()}:` });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('starts anyway, is not ready until Redis answers, then is', async () => {
    const down = await t.http().get('/api/ready').expect(503);
    expect(down.body.error.redis).toMatchObject({ status: 'down' });
    expect(down.body.info.database).toMatchObject({ status: 'up' });
    expect(await redisConnected(t)).toBe(0);
    await t.http().get('/api/health').expect(200);
    // Tickets need Redis: refused with 503, not a hang.
    const tenant = await signup(t);
    await t.http().post('/api/live/tickets').auth(tenant.token, { type: 'bearer' }).expect(503);

    await redis.restart();
    const ready = await eventually(async () => (await t.http().get('/api/ready')).status, (status) => status === 200, 15_000);
    expect(ready).toBe(200);
    expect(await redisConnected(t)).toBe(1);
  }, 40_000);
});

describe('without REDIS_URL', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  it('opens no Redis connection: /metrics says 0 and readiness has no redis check', async () => {
    expect(await redisConnected(t)).toBe(0);
    const ready = await t.http().get('/api/ready').expect(200);
    expect(ready.body.details).not.toHaveProperty('redis');
  });
});

shared('two instances while their Redis restarts', () => {
  let redis: PrivateRedis;
  let pair: { a: TestApp; b: TestApp };
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  pair = instances(() => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'restart:', NOTIFY_SECRET_KEY: 'notify-key-of-the-redis-restart-pair', BUFFER_FLUSH_MS: '50' }));
  afterAll(() => redis?.stop());

  it('resumes live frames from an agent on one instance to a dashboard on the other', async () => {
    const tenant = await signup(pair.a);
    const { agent, docker, containerId } = await hostWithContainer(pair.a, tenant);
    const dashboard = await LiveClient.connect(pair.b, tenant.token);
    const topic = `container:${containerId}:metrics`;
    await dashboard.subscribe(topic);
    const first = Date.now();
    let ts = first;
    const sendUntilSeen = async () => {
      const before = dashboard.frames.filter((f) => f.type === 'metrics').length;
      for (let i = 0; i < 100 && dashboard.frames.filter((f) => f.type === 'metrics').length === before; i++) {
        await agent.send({ type: 'metrics', data: [metric(docker, (ts += 1000))] });
        await sleep(100);
      }
      return dashboard.frames.filter((f) => f.type === 'metrics').length > before;
    };
    expect(await sendUntilSeen()).toBe(true);

    await redis.restart();
    expect(await sendUntilSeen()).toBe(true);
    // The agent's frames were acknowledged throughout: Redis carries live frames, not data.
    const range = { from: new Date(first).toISOString(), to: new Date(ts + 1000).toISOString() };
    const rows = await pair.b.http().get(`/api/containers/${containerId}/metrics`).query(range).auth(tenant.token, { type: 'bearer' }).expect(200);
    expect(rows.body.length).toBeGreaterThan(1);
    await Promise.all([dashboard.close(), agent.close()]);
  }, 60_000);
});
