import pg from 'pg';
import request from 'supertest';
import { AgentClient } from './support/agent-client.js';
import { eventually } from './support/alert-receiver.js';
import { enrolledHost, signup } from './support/factories.js';
import { findHaproxy, HaproxyProcess } from './support/haproxy-process.js';
import { LiveClient } from './support/live-client.js';
import { freePort } from './support/private-cluster.js';
import { ensureBuilt, ServerProcess } from './support/server-process.js';
import { sharedRedis } from './support/shared-redis.js';
import { hostMetric } from './support/telemetry.js';
import type { TestApp } from './support/test-app.js';

/**
 * deploy/haproxy/haproxy.cfg with real haproxy in front of two built servers (`node dist/main.js`):
 * requests spread over both, WebSocket upgrades pass, and an instance sent SIGTERM is taken out of
 * rotation with no request failing. With DATABASE_URL the two share a fresh database there and the
 * machine's Redis (a key prefix of their own): an agent streams through the balancer to a dashboard
 * socket on the other instance, is closed with 1001 by its draining instance and goes on through the
 * other. Without it each instance has its own embedded database (several instances need PostgreSQL).
 */
const haproxy = findHaproxy();
const INSTANCE = 'x-dockpulse-instance';

if (!haproxy.path) {
  console.warn(`HAProxy suite skipped: ${haproxy.missing}`);
  describe('deploy/haproxy/haproxy.cfg', () => it.skip(`skipped: ${haproxy.missing}`, () => undefined));
} else {
  const binary = haproxy.path;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function startPair(env: Record<string, string>): Promise<[ServerProcess, ServerProcess]> {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    return Promise.all([ServerProcess.start(a, env, 90_000), ServerProcess.start(b, env, 90_000)]);
  }

  /** Requests /api/health through the balancer every 25 ms until stopped; every answer is recorded. */
  function steadyTraffic(baseUrl: string) {
    const answers: { status: number | string; instance?: string; at: number }[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          const response = await fetch(`${baseUrl}/api/health`);
          answers.push({ status: response.status, instance: response.headers.get(INSTANCE) ?? undefined, at: performance.now() });
        } catch (error) {
          answers.push({ status: (error as Error).message, at: performance.now() });
        }
        await sleep(25);
      }
    })();
    return {
      answers,
      stop: async () => {
        running = false;
        await loop;
      },
    };
  }

  describe('deploy/haproxy/haproxy.cfg in front of two instances', () => {
    const started: { stop?: () => Promise<void>; kill?: () => Promise<void> }[] = [];
    beforeAll(() => ensureBuilt(300_000), 300_000);
    afterEach(async () => {
      await Promise.all(started.splice(0).map((p) => (p.kill ? p.kill() : p.stop?.())));
    });

    it('spreads requests, passes WebSocket upgrades to the instances, and takes an instance out on SIGTERM without a failed request', async () => {
      const [one, two] = await startPair({});
      started.push(one, two);
      const lb = await HaproxyProcess.start(binary, [one.baseUrl, two.baseUrl]);
      started.push(lb);

      const instances = new Set<string | null>();
      for (let i = 0; i < 6; i++) instances.add((await fetch(`${lb.baseUrl}/api/ready`)).headers.get(INSTANCE));
      expect([...instances].sort()).toEqual(['dockpulse-1', 'dockpulse-2']);
      // The upgrade reaches an instance, whose answer to a bad agent token is its own 401.
      await expect(AgentClient.connect(lb.baseUrl, 'not-a-token')).rejects.toMatchObject({ statusCode: 401 });

      const traffic = steadyTraffic(lb.baseUrl);
      await sleep(300);
      one.signal('SIGTERM');
      // Nest re-raises the signal once its shutdown hooks are done: a clean exit is "killed by SIGTERM".
      expect(await one.exitWithin(20_000)).toMatchObject({ signal: 'SIGTERM' });
      await lb.waitForLog(/dockpulse_api\/dockpulse-1 is DOWN/, 10_000);
      const down = performance.now();
      await sleep(500);
      await traffic.stop();

      expect(traffic.answers.filter((a) => a.status !== 200)).toEqual([]);
      expect(traffic.answers.filter((a) => a.at > down).map((a) => a.instance)).toEqual(expect.arrayContaining(['dockpulse-2']));
      expect(traffic.answers.filter((a) => a.at > down && a.instance !== 'dockpulse-2')).toEqual([]);
    }, 180_000);

    (process.env.DATABASE_URL ? it : it.skip)('with one PostgreSQL and one Redis: an agent streams through the balancer to a dashboard on the other instance and, when its instance drains, goes on through the other', async () => {
      const redis = sharedRedis('haproxy');
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      const name = `dockpulse_haproxy_${Date.now()}`;
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(process.env.DATABASE_URL as string);
      url.pathname = `/${name}`;
      try {
        const [one, two] = await startPair({ DATABASE_URL: url.toString(), BUFFER_FLUSH_MS: '50', ...redis.env });
        started.push(one, two);
        const lb = await HaproxyProcess.start(binary, [one.baseUrl, two.baseUrl]);
        started.push(lb);
        const viaLb = { http: () => request(lb.baseUrl), baseUrl: lb.baseUrl } as unknown as TestApp;

        const tenant = await signup(viaLb);
        const { hostId, agentToken } = await enrolledHost(viaLb, tenant);
        const first = await AgentClient.connect(lb.baseUrl, agentToken);
        const holder = first.upgradeHeaders[INSTANCE] as string;
        expect(['dockpulse-1', 'dockpulse-2']).toContain(holder);
        // leastconn: the dashboard's socket goes to the instance without the agent's.
        const live = await LiveClient.connect(viaLb, tenant.token);
        started.push({ stop: async () => void live.socket.close() });
        expect(live.upgradeHeaders[INSTANCE]).not.toBe(holder);
        await live.subscribe(`host:${hostId}:metrics`);
        const t1 = Date.now() - 2_000;
        expect(await first.send({ type: 'host_metrics', data: [hostMetric(t1)] })).toEqual({ type: 'ack', seq: 1 });
        await live.next((frame) => frame.type === 'host_metrics' && frame.topic === `host:${hostId}:metrics`);

        const draining = holder === 'dockpulse-1' ? one : two;
        draining.signal('SIGTERM');
        expect((await first.closed).code).toBe(1001);
        await lb.waitForLog(new RegExp(`dockpulse_api/${holder} is DOWN`), 10_000);
        expect(await draining.exitWithin(20_000)).toMatchObject({ signal: 'SIGTERM' });
        const second = await AgentClient.connect(lb.baseUrl, agentToken);
        started.push({ stop: async () => void (await second.close()) });
        expect(second.upgradeHeaders[INSTANCE]).not.toBe(holder);
        const t2 = Date.now() - 1_000;
        expect(await second.send({ type: 'host_metrics', data: [hostMetric(t2)] })).toEqual({ type: 'ack', seq: 1 });

        const stored = await request(lb.baseUrl).get(`/api/hosts/${hostId}/metrics`).auth(tenant.token, { type: 'bearer' }).expect(200);
        expect(stored.body.map((row: { ts: string }) => Date.parse(row.ts)).sort()).toEqual([t1, t2]);
        // Presence is written in 50 ms batches, and an ack (group commit) can come back sooner.
        const status = async () => (await request(lb.baseUrl).get(`/api/hosts/${hostId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body.status;
        expect(await eventually(status, (value) => value === 'online', 5_000)).toBe('online');
      } finally {
        await Promise.all(started.splice(0).map((p) => (p.kill ? p.kill() : p.stop?.())));
        await redis.close();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      }
    }, 180_000);
  });
}
