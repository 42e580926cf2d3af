import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('The container object’s health, exitCode, restartCount and finishedAt', () => {
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;

  const list = async () => (await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
  const byDockerId = async (id: string) => (await list()).find((c: { dockerId: string }) => c.dockerId === id);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await signup(t);
    host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  it('stores them from a snapshot and returns them; absent ones are null, and a later snapshot replaces them', async () => {
    const [crashed, plain] = [dockerId(), dockerId()];
    const details = { health: 'unhealthy', exitCode: 137, restartCount: 4, finishedAt: '2026-11-30T08:00:01.250Z' };
    expect(await agent.send({ type: 'containers', data: [container(crashed, { state: 'exited', ...details }), container(plain)] })).toMatchObject({ type: 'ack' });
    expect(await byDockerId(crashed)).toMatchObject(details);
    expect(await byDockerId(plain)).toMatchObject({ health: null, exitCode: null, restartCount: null, finishedAt: null });

    expect(await agent.send({ type: 'containers', data: [container(crashed, { health: 'healthy', restartCount: 5 }), container(plain)] })).toMatchObject({ type: 'ack' });
    expect(await byDockerId(crashed)).toMatchObject({ health: 'healthy', exitCode: null, restartCount: 5, finishedAt: null });
  });

  it('takes them over POST /api/agent/containers too, with epoch milliseconds for finishedAt', async () => {
    const id = dockerId();
    const finishedAt = Date.parse('2026-11-30T09:00:00.000Z');
    await t.http().post('/api/agent/containers').auth(host.agentToken, { type: 'bearer' }).send([container(id, { exitCode: 0, finishedAt })]).expect(200);
    expect(await byDockerId(id)).toMatchObject({ exitCode: 0, finishedAt: '2026-11-30T09:00:00.000Z' });
  });

  it('refuses bad values with invalid_message naming each field, and changes nothing', async () => {
    const id = dockerId();
    const answer = await agent.send({
      type: 'containers',
      data: [container(id, { health: 'sick', exitCode: 1.5, restartCount: -1, finishedAt: 'yesterday' })],
    });
    expect(answer).toMatchObject({ type: 'error', code: 'invalid_message' });
    const paths = (answer as { details: { path: string }[] }).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['data[0].health', 'data[0].exitCode', 'data[0].restartCount', 'data[0].finishedAt']));
    expect(await byDockerId(id)).toBeUndefined();
  });
});
