import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { container, dockerId, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A frame the buffer refuses (`overloaded`) is not pushed live, so the agent's resend does not show twice. */
describe('live push and overload', () => {
  let t: TestApp;
  beforeAll(async () => {
    // 10 rows held at most, flushed only after 3 s: the second frame below finds the buffer full.
    t = await startTestApp({ BUFFER_LIMIT_ROWS: '10', BUFFER_FLUSH_MS: '3000', BUFFER_FLUSH_IDLE: 'false' });
  });
  afterAll(() => t.close());

  it('pushes the admitted frame at once and never the refused one', async () => {
    const tenant = await signup(t);
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, agentToken);
    const docker = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(docker)] })).toMatchObject({ type: 'ack' });
    const [listed] = (await t.http().get(`/api/hosts/${hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
    const dashboard = await LiveClient.connect(t, tenant.token);
    const topic = `container:${listed.id}:metrics`;
    await dashboard.subscribe(topic);

    const base = Date.now() - 60_000;
    const admitted = agent.send({ type: 'metrics', data: Array.from({ length: 8 }, (_, i) => metric(docker, base + i * 1000)) });
    expect((await dashboard.next((f) => f.type === 'metrics')).frame.data).toHaveLength(8);
    const refused = await agent.send({ type: 'metrics', data: Array.from({ length: 5 }, (_, i) => metric(docker, base + 10_000 + i * 1000)) });
    expect(refused).toMatchObject({ type: 'error', code: 'overloaded' });
    expect(await admitted).toMatchObject({ type: 'ack' });
    // The refused frame, resent once there is room, is pushed exactly once.
    const resent = await agent.send({ type: 'metrics', data: Array.from({ length: 5 }, (_, i) => metric(docker, base + 10_000 + i * 1000)) });
    expect(resent).toMatchObject({ type: 'ack' });
    expect(dashboard.dataOn(topic).map((f) => f.data.length)).toEqual([8, 5]);
    await Promise.all([dashboard.close(), agent.close()]);
  });
});
