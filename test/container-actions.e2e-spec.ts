import { randomUUID } from 'node:crypto';
import { commandsTopic } from '../src/commands/command-events.js';
import { EventBus, type LiveFrame } from '../src/events/event-bus.js';
import { AgentClient } from './support/agent-client.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const ack = expect.objectContaining({ type: 'ack' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A tenant with one connected agent and one container it reported; every bus frame of the tenant recorded. */
async function world(t: TestApp) {
  const tenant = await signup(t);
  const host = await enrolledHost(t, tenant);
  const agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  const docker = dockerId();
  expect(await agent.send({ type: 'containers', data: [container(docker), container(dockerId())] })).toEqual(ack);
  const list = (await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
  const containerId: string = list.find((c: { dockerId: string }) => c.dockerId === docker).id;
  const bus: LiveFrame[] = [];
  const unsubscribe = t.app.get(EventBus).subscribe(commandsTopic(tenant.organizationId), (_topic, frame) => bus.push(frame));
  return { tenant, hostId: host.hostId, agentToken: host.agentToken, agent, docker, containerId, bus, unsubscribe };
}
type World = Awaited<ReturnType<typeof world>>;

const act = (t: TestApp, token: string, containerId: string, action: unknown, key?: string) => {
  const req = t.http().post(`/api/containers/${containerId}/actions`).auth(token, { type: 'bearer' });
  return (key === undefined ? req : req.set('Idempotency-Key', key)).send({ action });
};
const commandFrames = (w: World, commandId?: string) => w.agent.frames.filter((f) => f.type === 'command' && (!commandId || f.commandId === commandId));
const transitions = (w: World, commandId: string) => w.bus.filter((f) => (f.data as { id: string }).id === commandId).map((f) => (f.data as { status: string }).status);
/** Every frame the server wrote before this returns has reached the agent: the ack comes after them on the socket. */
const drain = async (w: World) => expect(await w.agent.send({ type: 'hello', agentVersion: '1.0.0', hostname: 'h' })).toEqual(ack);

describe('container actions', () => {
  let t: TestApp;
  let w: World;
  let operator: string;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    w = await world(t);
    operator = await addUser(t, w.tenant, 'operator');
  });
  afterAll(async () => {
    w.unsubscribe();
    await w.agent.close();
    await t.close();
  });

  it('round trip: the agent gets the Docker id, its result closes the command, every transition is published', async () => {
    const res = await act(t, w.tenant.token, w.containerId, 'restart').expect(202);
    const { commandId } = res.body;
    expect(res.body).toMatchObject({ commandId, id: commandId, status: 'sent', action: 'restart', hostId: w.hostId, containerId: w.containerId, timeoutMs: 30_000 });
    const frame = await waitFor('the command frame', () => commandFrames(w, commandId)[0]);
    expect(frame).toEqual({ type: 'command', commandId, action: 'restart', containerId: w.docker, timeoutMs: 30_000 });
    expect(await w.agent.send({ type: 'command_result', commandId, status: 'succeeded', message: 'restarted' })).toEqual(ack);

    const view = (await t.http().get(`/api/commands/${commandId}`).auth(operator, { type: 'bearer' }).expect(200)).body;
    expect(view).toMatchObject({ id: commandId, action: 'restart', status: 'succeeded', message: 'restarted', hostId: w.hostId, containerId: w.containerId });
    expect(view.requestedBy).toEqual({ id: w.tenant.userId, email: w.tenant.email });
    expect(Date.parse(view.createdAt)).toBeLessThanOrEqual(Date.parse(view.sentAt));
    expect(Date.parse(view.sentAt)).toBeLessThanOrEqual(Date.parse(view.finishedAt));
    expect(transitions(w, commandId)).toEqual(['pending', 'sent', 'succeeded']);
    expect(w.bus.find((f) => (f.data as { id: string }).id === commandId)).toMatchObject({ type: 'command' });
    expect(w.bus.at(-1)!.data).toEqual(view);
  });

  it('failed result: stored with its message and published', async () => {
    const { commandId } = (await act(t, operator, w.containerId, 'stop').expect(202)).body;
    await waitFor('the command frame', () => commandFrames(w, commandId)[0]);
    expect(await w.agent.send({ type: 'command_result', commandId, status: 'failed', message: 'No such container' })).toEqual(ack);
    const view = (await t.http().get(`/api/commands/${commandId}`).auth(operator, { type: 'bearer' }).expect(200)).body;
    expect(view).toMatchObject({ status: 'failed', message: 'No such container', action: 'stop' });
    expect(view.finishedAt).not.toBeNull();
    expect(transitions(w, commandId)).toEqual(['pending', 'sent', 'failed']);
    // A replayed result changes nothing and publishes nothing.
    expect(await w.agent.send({ type: 'command_result', commandId, status: 'succeeded', message: 'again' })).toEqual(ack);
    expect((await t.http().get(`/api/commands/${commandId}`).auth(operator, { type: 'bearer' })).body).toMatchObject({ status: 'failed', message: 'No such container' });
    expect(transitions(w, commandId)).toEqual(['pending', 'sent', 'failed']);
  });

  it('roles: a viewer is refused, operator and owner may act', async () => {
    const viewer = await addUser(t, w.tenant, 'viewer');
    await act(t, viewer, w.containerId, 'start').expect(403);
    const { commandId } = (await act(t, operator, w.containerId, 'start').expect(202)).body;
    // A viewer may still read commands.
    await t.http().get(`/api/commands/${commandId}`).auth(viewer, { type: 'bearer' }).expect(200);
  });

  it('bad input: unknown action, missing body, malformed container id, malformed Idempotency-Key', async () => {
    expect((await act(t, operator, w.containerId, 'pause').expect(400)).body.message).toEqual(['action must be one of start, stop, restart']);
    await act(t, operator, w.containerId, undefined).expect(400);
    await act(t, operator, 'not-a-uuid', 'start').expect(404);
    await act(t, operator, randomUUID(), 'start').expect(404);
    expect((await act(t, operator, w.containerId, 'start', 'k'.repeat(201)).expect(400)).body.message).toMatch(/Idempotency-Key/);
    await act(t, operator, w.containerId, 'start', 'tab\there').expect(400);
    await act(t, operator, w.containerId, 'start', 'k'.repeat(200)).expect(202);
  });

  it('idempotency: the same key returns the same command and sends it once', async () => {
    const key = `key-${randomUUID()}`;
    const first = (await act(t, operator, w.containerId, 'restart', key).expect(202)).body;
    const again = (await act(t, operator, w.containerId, 'restart', key).expect(202)).body;
    expect(again).toMatchObject({ commandId: first.commandId, status: 'sent' });
    await drain(w);
    expect(commandFrames(w, first.commandId)).toHaveLength(1);
    expect(await w.agent.send({ type: 'command_result', commandId: first.commandId, status: 'succeeded', message: 'restarted' })).toEqual(ack);
    // Even after it finished: the current status, nothing sent again.
    expect((await act(t, w.tenant.token, w.containerId, 'restart', key).expect(202)).body).toMatchObject({ commandId: first.commandId, status: 'succeeded' });
    await drain(w);
    expect(commandFrames(w, first.commandId)).toHaveLength(1);
    expect(transitions(w, first.commandId)).toEqual(['pending', 'sent', 'succeeded']);
  });

  it('idempotency: concurrent requests with one key make one command', async () => {
    const key = `burst-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => act(t, operator, w.containerId, 'stop', key)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const ids = new Set(answers.map((a) => a.body.commandId));
    expect(ids.size).toBe(1);
    const [commandId] = ids;
    expect(await t.sql.query(`SELECT id FROM commands WHERE idempotency_key = $1`, [key])).toEqual([{ id: commandId }]);
    await drain(w);
    expect(commandFrames(w, commandId)).toHaveLength(1);
  });

  it('idempotency: a key used for another action or container is refused', async () => {
    const key = `reuse-${randomUUID()}`;
    const { commandId } = (await act(t, operator, w.containerId, 'start', key).expect(202)).body;
    await drain(w);
    const sent = commandFrames(w).length;
    const other = (await act(t, operator, w.containerId, 'stop', key).expect(409)).body;
    expect(other).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(other.message).toMatch(/Idempotency-Key .* already used for another request/);
    const list = (await t.http().get(`/api/hosts/${w.hostId}/containers`).auth(operator, { type: 'bearer' })).body;
    const second = list.find((c: { id: string }) => c.id !== w.containerId).id;
    await act(t, operator, second, 'start', key).expect(409);
    await drain(w);
    expect(commandFrames(w)).toHaveLength(sent);
    expect(await t.sql.query(`SELECT id FROM commands WHERE idempotency_key = $1`, [key])).toEqual([{ id: commandId }]);
  });

  it('agent offline: 409 and no command left behind; a removed container: 409', async () => {
    const host = await enrolledHost(t, w.tenant, 'offline-host');
    const docker = dockerId();
    await t.http().post('/api/agent/containers').auth(host.agentToken, { type: 'bearer' }).send([container(docker)]).expect(200);
    const [{ id }] = await t.sql.query<{ id: string }>(`SELECT id FROM containers WHERE host_id = $1`, [host.hostId]);
    const res = await act(t, operator, id, 'start', `offline-${randomUUID()}`).expect(409);
    expect(res.body).toEqual({ statusCode: 409, message: `Agent of host ${host.hostId} is offline`, error: 'Conflict' });
    expect(await t.sql.query(`SELECT id FROM commands WHERE container_id = $1`, [id])).toEqual([]);

    await t.http().post('/api/agent/containers').auth(host.agentToken, { type: 'bearer' }).send([]).expect(200);
    expect((await act(t, operator, id, 'start').expect(409)).body.message).toMatch(/removed/);
  });

  it('tenants: another organization\'s container, command and host are not found', async () => {
    const { commandId } = (await act(t, operator, w.containerId, 'restart').expect(202)).body;
    const stranger = await signup(t);
    await act(t, stranger.token, w.containerId, 'restart').expect(404);
    await t.http().get(`/api/commands/${commandId}`).auth(stranger.token, { type: 'bearer' }).expect(404);
    await t.http().get(`/api/commands/${randomUUID()}`).auth(operator, { type: 'bearer' }).expect(404);
    await t.http().get(`/api/hosts/${w.hostId}/commands`).auth(stranger.token, { type: 'bearer' }).expect(404);
    // The stranger's same Idempotency-Key is its own.
    const key = `shared-${randomUUID()}`;
    await act(t, operator, w.containerId, 'start', key).expect(202);
    const theirs = await world(t);
    const mine = (await act(t, theirs.tenant.token, theirs.containerId, 'stop', key).expect(202)).body;
    expect(mine.containerId).toBe(theirs.containerId);
    theirs.unsubscribe();
    await theirs.agent.close();
  });

  it('listing per host: newest first, filtered by status, bounded', async () => {
    const fresh = await world(t);
    const ids: string[] = [];
    for (const action of ['start', 'stop', 'restart']) ids.push((await act(t, fresh.tenant.token, fresh.containerId, action).expect(202)).body.commandId);
    expect(await fresh.agent.send({ type: 'command_result', commandId: ids[1], status: 'succeeded', message: 'stopped' })).toEqual(ack);
    const get = (query: string) => t.http().get(`/api/hosts/${fresh.hostId}/commands${query}`).auth(fresh.tenant.token, { type: 'bearer' });
    const all = (await get('').expect(200)).body;
    expect(all.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect(all[0]).toMatchObject({ action: 'restart', status: 'sent', hostId: fresh.hostId, requestedBy: { id: fresh.tenant.userId, email: fresh.tenant.email } });
    expect((await get('?status=succeeded').expect(200)).body.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    expect((await get('?limit=2').expect(200)).body.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    await get('?limit=501').expect(400);
    await get('?limit=0').expect(400);
    await get('?status=done').expect(400);
    await t.http().get(`/api/hosts/${randomUUID()}/commands`).auth(fresh.tenant.token, { type: 'bearer' }).expect(404);
    // The other host's commands are not in this listing.
    expect((await t.http().get(`/api/hosts/${w.hostId}/commands?limit=500`).auth(operator, { type: 'bearer' })).body.map((c: { id: string }) => c.id)).not.toContain(ids[0]);
    fresh.unsubscribe();
    await fresh.agent.close();
  });

  it('is described in the OpenAPI document', async () => {
    const { paths } = (await t.http().get('/docs-json').expect(200)).body;
    const post = paths['/api/containers/{containerId}/actions'].post;
    expect(post).toMatchObject({ tags: ['actions'], summary: expect.any(String) });
    expect(post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    expect(paths['/api/commands/{commandId}'].get.tags).toEqual(['actions']);
    expect(paths['/api/hosts/{hostId}/commands'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['limit', 'status']));
  });
});

describe('container actions: timeout', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', COMMAND_TIMEOUT: '2s' });
    w = await world(t);
  });
  afterAll(async () => {
    w.unsubscribe();
    await w.agent.close();
    await t.close();
  });

  const view = async (commandId: string) => (await t.http().get(`/api/commands/${commandId}`).auth(w.tenant.token, { type: 'bearer' }).expect(200)).body;

  it('a command with no result times out; a late result is acked and changes nothing', async () => {
    const { commandId, timeoutMs } = (await act(t, w.tenant.token, w.containerId, 'restart').expect(202)).body;
    expect(timeoutMs).toBe(2000);
    expect(await waitFor('the command frame', () => commandFrames(w, commandId)[0])).toMatchObject({ timeoutMs: 2000 });
    const done = await waitFor('the timeout', async () => {
      const current = await view(commandId);
      return current.status === 'sent' ? undefined : current;
    });
    expect(done).toMatchObject({ status: 'timeout', message: 'No result from the agent within 2000 ms' });
    expect(Date.parse(done.finishedAt) - Date.parse(done.createdAt)).toBeGreaterThanOrEqual(2000);
    expect(transitions(w, commandId)).toEqual(['pending', 'sent', 'timeout']);

    expect(await w.agent.send({ type: 'command_result', commandId, status: 'succeeded', message: 'too late' })).toEqual(ack);
    expect(await view(commandId)).toEqual(done);
    expect(transitions(w, commandId)).toEqual(['pending', 'sent', 'timeout']);
  });

  it('commands left open by an instance that went away are timed out too', async () => {
    const [{ id }] = await t.sql.query<{ id: string }>(
      `INSERT INTO commands (organization_id, host_id, container_id, action, status, timeout_ms, created_at)
       VALUES ($1, $2, $3, 'stop', 'pending', 30000, now() - interval '1 hour') RETURNING id`,
      [w.tenant.organizationId, w.hostId, w.containerId],
    );
    const done = await waitFor('the timeout', async () => {
      const current = await view(id);
      return current.status === 'pending' ? undefined : current;
    });
    expect(done).toMatchObject({ status: 'timeout', message: 'No result from the agent within 30000 ms', requestedBy: null });
    expect(transitions(w, id)).toEqual(['timeout']);
  });
});
