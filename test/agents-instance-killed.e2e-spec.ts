import { RedisConnection } from '../src/redis/redis-connection.js';
import { AgentClient } from './support/agent-client.js';
import { eventually } from './support/alert-receiver.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { freePort } from './support/private-cluster.js';
import { ensureBuilt, SERVER_JWT_SECRET, ServerProcess } from './support/server-process.js';
import { sharedRedis } from './support/shared-redis.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const HEARTBEAT_MS = 1_000;
/** AgentConnections' stale bound (3 heartbeats + 5 s, the claim TTL), one heartbeat for the sweep to run, and some slack. */
const OFFLINE_WITHIN_MS = 3 * HEARTBEAT_MS + 5_000 + HEARTBEAT_MS + 3_000;

const hostStatus = async (t: TestApp, tenant: Tenant, hostId: string): Promise<string> =>
  (await t.http().get(`/api/hosts/${hostId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body.status;

// The killed instance is a real server process on the run's PostgreSQL database: the embedded engine belongs to one process.
(process.env.DATABASE_URL ? describe : describe.skip)('an instance killed with SIGKILL', () => {
  const redis = sharedRedis('agents-killed');
  let survivor: TestApp;
  let doomed: ServerProcess | undefined;

  beforeAll(async () => {
    ensureBuilt(240_000);
    const env = { ...redis.env, AGENT_HEARTBEAT_MS: String(HEARTBEAT_MS), BUFFER_FLUSH_MS: '50' };
    survivor = await startTestApp({ ...env, JWT_SECRET: SERVER_JWT_SECRET });
    await eventually(async () => survivor.app.get(RedisConnection).connected, Boolean);
    doomed = await ServerProcess.start(await freePort(), { ...env, DATABASE_URL: process.env.DATABASE_URL! });
  }, 300_000);
  afterAll(async () => {
    await doomed?.kill();
    await survivor?.close();
    await redis.close();
  });

  it('its hosts go offline through the survivor within the heartbeat bound, actions answer 409, and a reconnect on the survivor works', async () => {
    const tenant = await signup(survivor);
    const host = await enrolledHost(survivor, tenant);
    const agent = await AgentClient.connect(doomed!.baseUrl, host.agentToken);
    const docker = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(docker)] })).toEqual(expect.objectContaining({ type: 'ack' }));
    const containerId = (await survivor.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body[0].id;
    await eventually(() => hostStatus(survivor, tenant, host.hostId), (status) => status === 'online');
    const act = () => survivor.http().post(`/api/containers/${containerId}/actions`).auth(tenant.token, { type: 'bearer' }).send({ action: 'restart' });
    // Through the survivor to the doomed instance's socket, while it lives.
    await act().expect(202);

    doomed!.signal('SIGKILL');
    const killedAt = Date.now();
    await doomed!.exited;
    await agent.closed;
    // Its claim has not expired yet, but nobody answers on its channel: the command fails at once.
    const refused = await act().expect(409);
    expect(refused.body).toMatchObject({ message: `Agent of host ${host.hostId} is offline`, commandId: expect.any(String) });
    await eventually(() => hostStatus(survivor, tenant, host.hostId), (status) => status === 'offline', OFFLINE_WITHIN_MS);
    expect(Date.now() - killedAt).toBeLessThan(OFFLINE_WITHIN_MS);
    expect(await redis.client.exists(`${redis.prefix}agents:host:${host.hostId}`)).toBe(0);

    // The agent comes back through the load balancer, to the survivor.
    const again = await AgentClient.connect(survivor.baseUrl, host.agentToken);
    await eventually(() => hostStatus(survivor, tenant, host.hostId), (status) => status === 'online');
    const { commandId } = (await act().expect(202)).body;
    await eventually(async () => again.frames.find((f) => f.type === 'command' && f.commandId === commandId), Boolean, 5_000);
    await again.close();
  }, 60_000);
});
