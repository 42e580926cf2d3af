import pg from 'pg';
import request from 'supertest';
import { AgentClient } from './support/agent-client.js';
import { eventually } from './support/alert-receiver.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { findHaproxy, HaproxyProcess } from './support/haproxy-process.js';
import { LiveClient } from './support/live-client.js';
import { freePort } from './support/private-cluster.js';
import { PrivateRedis } from './support/redis-server.js';
import { ResendingAgent } from './support/resending-agent.js';
import { ensureBuilt, ServerProcess } from './support/server-process.js';
import { container, dockerId, metric } from './support/telemetry.js';
import type { TestApp } from './support/test-app.js';

/**
 * Issue 14 end to end: three built servers (`node dist/main.js`) on one fresh PostgreSQL database and
 * one Redis, behind real haproxy running deploy/haproxy/haproxy.cfg (with a third server line), behave
 * as one service. The Redis is this suite's own redis-server (a free port, its own key prefix), since
 * the last check restarts it; the machine's shared one on 6379 is never touched.
 */
const haproxy = findHaproxy();
const INSTANCE = 'x-dockpulse-instance';
const HEARTBEAT_MS = 1_000;
/** The stale bound (3 heartbeats + 5 s, the claim TTL), one heartbeat for a sweep, and slack. */
const OFFLINE_WITHIN_MS = 3 * HEARTBEAT_MS + 5_000 + HEARTBEAT_MS + 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ack = expect.objectContaining({ type: 'ack' });

/** The factories and LiveClient speak to a TestApp; a running process or the balancer answers the same. */
const at = (baseUrl: string) => ({ http: () => request(baseUrl), baseUrl }) as unknown as TestApp;

const skipped = !process.env.DATABASE_URL
  ? 'several instances need one database they all reach: set DATABASE_URL (PostgreSQL)'
  : haproxy.path
    ? undefined
    : haproxy.missing;

if (skipped) {
  console.warn(`Cluster suite skipped: ${skipped}`);
  describe('three instances behind HAProxy', () => it.skip(`skipped: ${skipped}`, () => undefined));
} else {
  describe('three instances behind HAProxy on one PostgreSQL and one Redis', () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const database = `dockpulse_cluster_${Date.now()}_${process.pid}`;
    let db: pg.Client | undefined;
    let redis: PrivateRedis | undefined;
    let lb: HaproxyProcess;
    const servers: ServerProcess[] = [];
    /** Sockets and agents still open at the end of a failed check: closed in afterAll. */
    const open: Array<() => Promise<unknown>> = [];
    let A: TestApp;
    let B: TestApp;
    let C: TestApp;

    const hostStatus = async (tenant: Tenant, hostId: string): Promise<string> =>
      (await B.http().get(`/api/hosts/${hostId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body.status;

    /** A host with one container, reported by `agent`; answers the container's API id. */
    async function reportContainer(t: TestApp, tenant: Tenant, hostId: string, agent: AgentClient, docker = dockerId()): Promise<string> {
      expect(await agent.send({ type: 'containers', data: [container(docker)] })).toEqual(ack);
      const list = (await t.http().get(`/api/hosts/${hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
      return list.find((c: { dockerId: string }) => c.dockerId === docker).id;
    }

    const redisConnected = async (server: ServerProcess) =>
      Number(/^dockpulse_redis_connected (\d+)$/m.exec(await (await fetch(`${server.baseUrl}/metrics`)).text())?.[1]);

    beforeAll(async () => {
      ensureBuilt(240_000);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}"`);
      const url = new URL(process.env.DATABASE_URL as string);
      url.pathname = `/${database}`;
      db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      redis = await PrivateRedis.start();
      const env = {
        DATABASE_URL: url.toString(),
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `dockpulse-cluster-${process.pid}:`,
        AGENT_HEARTBEAT_MS: String(HEARTBEAT_MS),
        BUFFER_FLUSH_MS: '50',
        // Every check signs up an organization of its own.
        SIGNUP_ENABLED: 'true',
      };
      const ports = await Promise.all([freePort(), freePort(), freePort()]);
      const started = await Promise.allSettled(ports.map((port) => ServerProcess.start(port, env, 90_000)));
      for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      [A, B, C] = servers.map((server) => at(server.baseUrl));
      for (const server of servers) await eventually(() => redisConnected(server), (up) => up === 1, 15_000);
      lb = await HaproxyProcess.start(haproxy.path as string, servers.map((server) => server.baseUrl));
      // All three in rotation (two checks in a row each) before anything goes through the balancer.
      await eventually(
        async () => {
          const seen = new Set<string | null>();
          for (let i = 0; i < 6; i++) seen.add((await fetch(`${lb.baseUrl}/api/ready`)).headers.get(INSTANCE));
          return [...seen].sort();
        },
        (seen) => seen.length === 3,
        10_000,
      );
    }, 180_000);

    afterAll(async () => {
      await Promise.allSettled(open.splice(0).map((close) => close()));
      await lb?.stop();
      await Promise.allSettled(servers.map((server) => server.kill()));
      await redis?.stop();
      await db?.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }, 60_000);

    it('1, 2. an agent on A is live on a dashboard on B; an action posted to C reaches it, and its result shows on B', async () => {
      const tenant = await signup(A);
      const host = await enrolledHost(A, tenant);
      const agent = await AgentClient.connect(servers[0].baseUrl, host.agentToken);
      open.push(() => agent.close());
      const docker = dockerId();
      const containerId = await reportContainer(A, tenant, host.hostId, agent, docker);

      // The ticket is B's, the socket is B's.
      const dashboard = await LiveClient.connect(B, tenant.token);
      open.push(() => dashboard.close());
      const topic = `container:${containerId}:metrics`;
      expect(await dashboard.subscribe(topic, 'commands', `host:${host.hostId}`)).toEqual({ topics: [topic, 'commands', `host:${host.hostId}`], errors: [] });
      await eventually(() => hostStatus(tenant, host.hostId), (status) => status === 'online');
      // B's interest reaches A through Redis a moment after `subscribed`: send until a frame arrives.
      const start = Date.now() - 60_000;
      const first = dashboard.next((f) => f.type === 'metrics' && f.topic === topic, 10_000);
      for (let i = 0; i < 100 && !dashboard.dataOn(topic).length; i++) {
        expect(await agent.send({ type: 'metrics', data: [metric(docker, start + i * 100, { cpuPercent: 42.5 })] })).toEqual(ack);
        await sleep(50);
      }
      expect((await first).frame).toMatchObject({ type: 'metrics', topic, data: [expect.objectContaining({ containerId, cpuPercent: 42.5 })] });

      const accepted = (await C.http().post(`/api/containers/${containerId}/actions`).auth(tenant.token, { type: 'bearer' }).send({ action: 'restart' }).expect(202)).body;
      expect(accepted).toMatchObject({ status: 'sent', action: 'restart' });
      const command = await eventually(async () => agent.frames.find((f) => f.type === 'command'), Boolean, 5_000);
      expect(command).toEqual({ type: 'command', commandId: accepted.commandId, action: 'restart', containerId: docker, timeoutMs: 30_000 });
      expect(await agent.send({ type: 'command_result', commandId: accepted.commandId, status: 'succeeded', message: 'restarted' })).toEqual(ack);
      const view = (await B.http().get(`/api/commands/${accepted.commandId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
      expect(view).toMatchObject({ id: accepted.commandId, action: 'restart', status: 'succeeded', message: 'restarted' });
      const pushed = await dashboard.next((f) => f.type === 'command' && f.data.id === accepted.commandId && f.data.status === 'succeeded', 5_000);
      expect(pushed.frame).toMatchObject({ topic: 'commands', data: { id: accepted.commandId, status: 'succeeded' } });
      await Promise.all([dashboard.close(), agent.close()]);
    }, 30_000);

    it('3. a ticket issued by A opens one socket, whichever of A, B and C it is redeemed on, even at once', async () => {
      const tenant = await signup(A);
      const ticket = await LiveClient.ticket(A, tenant.token);
      const query = `?ticket=${encodeURIComponent(ticket)}`;
      const onB = await LiveClient.open(B, query);
      open.push(() => onB.close());
      for (const t of [A, B, C]) await expect(LiveClient.open(t, query)).rejects.toMatchObject({ statusCode: 401 });
      await onB.close();

      // Three redemptions racing on three instances: one socket, two 401s.
      for (let round = 0; round < 3; round++) {
        const raced = `?ticket=${encodeURIComponent(await LiveClient.ticket(A, tenant.token))}`;
        const outcomes = await Promise.allSettled([A, B, C].map((t) => LiveClient.open(t, raced)));
        const opened = outcomes.filter((o): o is PromiseFulfilledResult<LiveClient> => o.status === 'fulfilled').map((o) => o.value);
        await Promise.all(opened.map((socket) => socket.close()));
        expect(opened).toHaveLength(1);
        expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.statusCode)).toEqual([401, 401]);
      }
    }, 30_000);

    it('4. the same host connecting through B replaces its socket on A (4001), stays online, and B`s socket takes commands', async () => {
      const tenant = await signup(A);
      const host = await enrolledHost(A, tenant);
      const onA = await AgentClient.connect(servers[0].baseUrl, host.agentToken);
      open.push(() => onA.close());
      const containerId = await reportContainer(A, tenant, host.hostId, onA);
      await eventually(() => hostStatus(tenant, host.hostId), (status) => status === 'online');

      const onB = await AgentClient.connect(servers[1].baseUrl, host.agentToken);
      open.push(() => onB.close());
      expect(await onA.closed).toEqual({ code: 4001, reason: expect.stringContaining('Replaced') });
      // Longer than the presence batch and the release round trip: a wrongful offline would be written by now.
      await sleep(500);
      expect(await hostStatus(tenant, host.hostId)).toBe('online');
      const { commandId } = (await C.http().post(`/api/containers/${containerId}/actions`).auth(tenant.token, { type: 'bearer' }).send({ action: 'stop' }).expect(202)).body;
      await eventually(async () => onB.frames.find((f) => f.type === 'command' && f.commandId === commandId), Boolean, 5_000);
      expect(onA.frames.filter((f) => f.type === 'command')).toEqual([]);
      await onB.close();
    }, 30_000);

    it('5. A killed with SIGKILL under load: its agents reconnect through HAProxy to B or C and resend; every acknowledged row is stored once; a host whose agent stays away goes offline, and online when it is back', async () => {
      const tenant = await signup(B);
      const AGENTS = 6;
      const FRAME_EVERY_MS = 25;
      const ROWS_PER_FRAME = 5;
      const streams = [] as Array<{ hostId: string; docker: string; containerId?: string; agent: ResendingAgent<string> }>;
      for (let i = 0; i < AGENTS; i++) {
        const host = await enrolledHost(B, tenant, `stream-${i}`);
        const agent = new ResendingAgent<string>(lb.baseUrl, host.agentToken);
        open.push(() => agent.stop());
        agent.start();
        // One after another: leastconn then spreads them two per instance.
        await eventually(async () => agent.connected, Boolean, 5_000);
        const docker = dockerId();
        agent.enqueue('containers', { data: [container(docker)] }, []);
        streams.push({ hostId: host.hostId, docker, agent });
      }
      for (const s of streams) expect(await s.agent.drained(10_000)).toBe(true);
      for (const s of streams) {
        const list = (await B.http().get(`/api/hosts/${s.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
        s.containerId = list[0].id;
      }
      const onA = streams.filter((s) => s.agent.instances[0] === 'dockpulse-1');
      expect(onA.length).toBeGreaterThan(0);

      // An agent whose host's connection comes back late: long enough for its host to be seen offline.
      const late = await enrolledHost(B, tenant, 'late');
      const lateOnA = await AgentClient.connect(servers[0].baseUrl, late.agentToken);
      open.push(() => lateOnA.close());
      await eventually(() => hostStatus(tenant, late.hostId), (status) => status === 'online');

      let streaming = true;
      const base = Date.now() - 3_600_000;
      const producers = streams.map(async (s) => {
        for (let frame = 0; streaming; frame++) {
          const rows = Array.from({ length: ROWS_PER_FRAME }, (_, r) => base + frame * ROWS_PER_FRAME + r);
          s.agent.enqueue('metrics', { data: rows.map((ts) => metric(s.docker, ts)) }, rows.map((ts) => `${s.containerId}|${new Date(ts).toISOString()}`));
          await sleep(FRAME_EVERY_MS);
        }
      });
      await sleep(1_500);
      const ackedBeforeKill = streams.reduce((sum, s) => sum + s.agent.acked.length, 0);
      expect(ackedBeforeKill).toBeGreaterThan(AGENTS * 10);
      servers[0].signal('SIGKILL');
      expect(await servers[0].exitWithin(5_000)).toMatchObject({ signal: 'SIGKILL' });
      await lb.waitForLog(/dockpulse_api\/dockpulse-1 is DOWN/, 10_000);
      await sleep(2_000);
      streaming = false;
      await Promise.all(producers);
      for (const s of streams) expect(await s.agent.drained(20_000)).toBe(true);

      for (const s of onA) {
        expect(s.agent.connections).toBeGreaterThanOrEqual(2);
        expect(['dockpulse-2', 'dockpulse-3']).toContain(s.agent.instances.at(-1));
      }
      // Frames in flight on A when it died went again on the new socket (acks follow the 50 ms flush, so some always are).
      expect(onA.flatMap((s) => s.agent.acked.filter((f) => f.sends > 1)).length).toBeGreaterThan(0);
      for (const s of streams) {
        expect(s.agent.refused).toEqual([]);
        expect(s.agent.extraAcks).toBe(0);
      }

      const sent = streams.flatMap((s) => s.agent.acked.flatMap((f) => f.keys)).sort();
      expect(new Set(sent).size).toBe(sent.length);
      const { rows } = await db!.query<{ key: string; copies: number }>(
        `SELECT container_id || '|' || to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS key, count(*)::int AS copies
           FROM container_metrics WHERE container_id = ANY($1::uuid[]) GROUP BY 1`,
        [streams.map((s) => s.containerId)],
      );
      expect(rows.filter((row) => row.copies !== 1)).toEqual([]);
      expect(rows.map((row) => row.key).sort()).toEqual(sent);

      // The late agent's host: offline through the survivors (nobody holds it), online once it is back through the balancer.
      await lateOnA.closed;
      await eventually(() => hostStatus(tenant, late.hostId), (status) => status === 'offline', OFFLINE_WITHIN_MS);
      for (const s of streams) expect(await hostStatus(tenant, s.hostId)).toBe('online');
      const back = await AgentClient.connect(lb.baseUrl, late.agentToken);
      open.push(() => back.close());
      expect(['dockpulse-2', 'dockpulse-3']).toContain(back.upgradeHeaders[INSTANCE]);
      await eventually(() => hostStatus(tenant, late.hostId), (status) => status === 'online', 5_000);
      await back.close();
      await Promise.all(streams.map((s) => s.agent.stop()));
    }, 90_000);

    it('6. Redis restarted mid-run: live frames from an agent on C reach a dashboard on B again, without restarting either', async () => {
      const tenant = await signup(B);
      const host = await enrolledHost(B, tenant);
      const agent = new ResendingAgent<string>(servers[2].baseUrl, host.agentToken);
      open.push(() => agent.stop());
      agent.start();
      const docker = dockerId();
      agent.enqueue('containers', { data: [container(docker)] }, []);
      expect(await agent.drained(10_000)).toBe(true);
      const containerId = (await B.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body[0].id;
      const dashboard = await LiveClient.connect(B, tenant.token);
      open.push(() => dashboard.close());
      const topic = `container:${containerId}:metrics`;
      await dashboard.subscribe(topic);

      let ts = Date.now() - 600_000;
      /** Sends a metric every 100 ms until the dashboard has one at or after `from`. */
      const streamUntilSeen = async (from: number, timeoutMs: number) => {
        const seen = () => dashboard.dataOn(topic).some((f) => f.data.some((d: { ts: string }) => Date.parse(d.ts) >= from));
        const deadline = Date.now() + timeoutMs;
        while (!seen() && Date.now() < deadline) {
          agent.enqueue('metrics', { data: [metric(docker, ts)] }, [String(ts)]);
          ts += 1_000;
          await sleep(100);
        }
        return seen();
      };
      expect(await streamUntilSeen(ts, 10_000)).toBe(true);

      await redis!.stop();
      await eventually(async () => Promise.all(servers.slice(1).map(redisConnected)), (up) => up.every((n) => n === 0), 10_000);
      await redis!.restart();
      await eventually(async () => Promise.all(servers.slice(1).map(redisConnected)), (up) => up.every((n) => n === 1), 20_000);
      expect(await streamUntilSeen(ts, 15_000)).toBe(true);
      expect(dashboard.socket.readyState).toBe(dashboard.socket.OPEN);
      expect(servers.slice(1).every((server) => server.running)).toBe(true);
      // Whatever it sent meanwhile (some answered `unavailable` while Redis was away) is stored in the end.
      expect(await agent.drained(15_000)).toBe(true);
      expect(agent.refused).toEqual([]);
      await dashboard.close();
      await agent.stop();
    }, 60_000);
  });
}
