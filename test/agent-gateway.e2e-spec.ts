import { JwtService } from '@nestjs/jwt';
import WebSocket from 'ws';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId, hostMetric, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('AgentGateway: connection lifecycle', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', AGENT_HEARTBEAT_MS: '300' });
    tenant = await signup(t);
  });
  afterAll(() => t.close());

  const refusal = (token?: string) =>
    AgentClient.connect(t.baseUrl, token as string, token === undefined ? { headers: {} } : {}).then(
      () => 'opened',
      (error: { statusCode?: number }) => error.statusCode,
    );
  const hostStatus = async (hostId: string) => (await t.http().get(`/api/hosts/${hostId}`).auth(tenant.token, { type: 'bearer' })).body;

  it('refuses the upgrade with 401 for missing, malformed, expired, revoked and non-agent tokens', async () => {
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const expired = await t.app.get(JwtService).signAsync({ typ: 'agent', sub: hostId, org: tenant.organizationId, gen: 1 }, { expiresIn: -10 });
    expect(await refusal(undefined)).toBe(401);
    expect(await refusal('garbage')).toBe(401);
    expect(await refusal(expired)).toBe(401);
    expect(await refusal(tenant.token)).toBe(401);
    const revoked = await enrolledHost(t, tenant);
    await t.http().delete(`/api/hosts/${revoked.hostId}`).auth(tenant.token, { type: 'bearer' }).expect(204);
    expect(await refusal(revoked.agentToken)).toBe(401);
    expect(await refusal(agentToken)).toBe('opened');
  });

  it('welcomes the agent, marks its host online, and offline when it leaves', async () => {
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    const welcome = agent.frames.find((f) => f.type === 'welcome');
    expect(welcome).toEqual({ type: 'welcome', hostId, serverTime: expect.any(String), limits: { maxPayloadBytes: 1_048_576, maxItems: 5000 } });
    await waitFor(async () => (await hostStatus(hostId)).status === 'online');
    expect((await hostStatus(hostId)).lastSeenAt).not.toBeNull();
    await agent.close();
    await waitFor(async () => (await hostStatus(hostId)).status === 'offline');
  });

  it('keeps one socket per host: a new connection closes the old one with 4001', async () => {
    const { agentToken } = await enrolledHost(t, tenant);
    const first = await AgentClient.connect(t.baseUrl, agentToken);
    const second = await AgentClient.connect(t.baseUrl, agentToken);
    expect((await first.closed).code).toBe(4001);
    expect(await second.send({ type: 'host_metrics', data: [hostMetric(Date.now())] })).toEqual({ type: 'ack', seq: 1 });
    await second.close();
  });

  it('closes the socket at once when the host is deleted', async () => {
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    await t.http().delete(`/api/hosts/${hostId}`).auth(tenant.token, { type: 'bearer' }).expect(204);
    expect((await agent.closed).code).toBe(4003);
  });

  it('drops a peer that stops answering pings', async () => {
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const silent = await AgentClient.connect(t.baseUrl, agentToken, { autoPong: false });
    const started = Date.now();
    const { code } = await silent.closed;
    expect(code).toBe(1006);
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(async () => (await hostStatus(hostId)).status === 'offline');
  });

  it('keeps a peer that answers pings', async () => {
    const { agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(agent.socket.readyState).toBe(WebSocket.OPEN);
    await agent.close();
  });

  it('keeps a peer whose pong sat unread while the server itself stalled past a heartbeat', async () => {
    const { agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    let stalls = 0;
    // ws writes the pong before it emits 'ping': blocking here leaves that pong unread by the server
    // (same process) while its next tick comes due, which Node runs before it reads any socket.
    agent.socket.on('ping', () => {
      if (stalls++ >= 2) return;
      const until = Date.now() + 700;
      while (Date.now() < until);
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(stalls).toBeGreaterThanOrEqual(2);
    expect(agent.socket.readyState).toBe(WebSocket.OPEN);
    await agent.close();
  });

  it('closes with 1009 on a frame over 1 MiB, and nothing is stored', async () => {
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    const id = dockerId();
    agent.socket.send(JSON.stringify({ type: 'metrics', seq: 1, data: [metric(id, Date.now(), { padding: 'x'.repeat(1_100_000) })] }));
    expect((await agent.closed).code).toBe(1009);
    expect(await t.sql.query('SELECT 1 FROM container_metrics WHERE host_id = $1', [hostId])).toHaveLength(0);
  });

  it('keeps two hosts apart: the host always comes from the token', async () => {
    const [a, b] = [await enrolledHost(t, tenant, 'a'), await enrolledHost(t, tenant, 'b')];
    const shared = dockerId();
    const agentB = await AgentClient.connect(t.baseUrl, b.agentToken);
    expect(await agentB.send({ type: 'containers', data: [container(shared)] })).toMatchObject({ type: 'ack' });
    const agentA = await AgentClient.connect(t.baseUrl, a.agentToken);
    const ts = Date.now();
    expect(await agentA.send({ type: 'metrics', hostId: b.hostId, data: [metric(shared, ts)] })).toMatchObject({ type: 'ack' });
    const rows = await t.sql.query<{ host_id: string; container_host: string }>(
      `SELECT m.host_id, c.host_id AS container_host FROM container_metrics m JOIN containers c ON c.id = m.container_id WHERE c.docker_id = $1`,
      [shared],
    );
    expect(rows).toEqual([{ host_id: a.hostId, container_host: a.hostId }]);
    const bContainers = await t.http().get(`/api/hosts/${b.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200);
    expect(bContainers.body).toHaveLength(1);
    expect(bContainers.body[0].state).toBe('running');
    await agentA.close();
    await agentB.close();
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
