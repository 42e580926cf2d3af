import { AgentClient } from './support/agent-client.js';
import { addUser, enrolledHost, signup } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The whole path at once: REST action → agent socket → result → every transition on a viewer's /live `commands` topic. */
describe('container actions seen live', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', COMMAND_TIMEOUT: '2s' });
  });
  afterAll(() => t.close());

  it('a viewer watching `commands` sees pending, sent and the result; another tenant sees nothing', async () => {
    const tenant = await signup(t);
    const other = await signup(t);
    const host = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    const docker = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(docker)] })).toMatchObject({ type: 'ack' });
    const [listed] = (await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
    const viewer = await addUser(t, tenant, 'viewer');
    const operator = await addUser(t, tenant, 'operator');
    const dashboard = await LiveClient.connect(t, viewer);
    const outsider = await LiveClient.connect(t, other.token);
    await dashboard.subscribe('commands');
    await outsider.subscribe('commands');

    await t.http().post(`/api/containers/${listed.id}/actions`).auth(viewer, { type: 'bearer' }).send({ action: 'stop' }).expect(403);
    const { commandId } = (await t.http().post(`/api/containers/${listed.id}/actions`).auth(operator, { type: 'bearer' }).send({ action: 'stop' }).expect(202)).body;
    const ofCommand = (status: string) => (f: { type: string; data?: { id: string; status: string } }) => f.type === 'command' && f.data?.id === commandId && f.data?.status === status;
    await dashboard.next(ofCommand('pending'));
    await dashboard.next(ofCommand('sent'));
    const command = await waitForCommand(agent, commandId);
    expect(command).toMatchObject({ action: 'stop', containerId: docker });
    expect(await agent.send({ type: 'command_result', commandId, status: 'failed', message: 'No such container' })).toMatchObject({ type: 'ack' });
    const { frame } = await dashboard.next(ofCommand('failed'));
    expect(frame).toMatchObject({ topic: 'commands', data: { id: commandId, action: 'stop', message: 'No such container', containerId: listed.id } });

    // A second command the agent never answers times out, and the dashboard sees that too.
    const late = (await t.http().post(`/api/containers/${listed.id}/actions`).auth(operator, { type: 'bearer' }).send({ action: 'start' }).expect(202)).body.commandId;
    await dashboard.next((f) => f.type === 'command' && f.data?.id === late && f.data.status === 'timeout', 10_000);

    expect(outsider.frames.filter((f) => f.type === 'command')).toEqual([]);
    await dashboard.close();
    await outsider.close();
    await agent.close();
  });
});

async function waitForCommand(agent: AgentClient, commandId: string) {
  for (let i = 0; i < 250; i++) {
    const frame = agent.frames.find((f) => f.type === 'command' && f.commandId === commandId);
    if (frame) return frame;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the agent never got the command');
}
