import { AlertLifecycle } from '../src/alerts/engine/alert-lifecycle.js';
import { RuleBook } from '../src/alerts/engine/rule-book.js';
import { commandsTopic } from '../src/commands/command-events.js';
import { EventBus, type LiveFrame } from '../src/events/event-bus.js';
import { hostTopic } from '../src/hosts/host-topic.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { AgentClient } from './support/agent-client.js';
import { eventually, startAlertReceiver } from './support/alert-receiver.js';
import { enrolledHost, signup, hostOfflineRule, type Tenant } from './support/factories.js';
import { sharedRedis } from './support/shared-redis.js';
import { container, dockerId, metric } from './support/telemetry.js';
import { privateDatabase } from './support/private-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const ack = expect.objectContaining({ type: 'ack' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const hostStatus = async (t: TestApp, tenant: Tenant, hostId: string): Promise<string> =>
  (await t.http().get(`/api/hosts/${hostId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body.status;

/** Registers one container through the agent; answers its API id and Docker id. */
async function reportContainer(t: TestApp, tenant: Tenant, hostId: string, agent: AgentClient) {
  const docker = dockerId();
  expect(await agent.send({ type: 'containers', data: [container(docker)] })).toEqual(ack);
  const list = (await t.http().get(`/api/hosts/${hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
  return { containerId: list.find((c: { dockerId: string }) => c.dockerId === docker).id as string, docker };
}

const act = (t: TestApp, tenant: Tenant, containerId: string, action: string) =>
  t.http().post(`/api/containers/${containerId}/actions`).auth(tenant.token, { type: 'bearer' }).send({ action });

/** Every frame `t` publishes on its own bus for `topic`, as it happens. */
function record(t: TestApp, topic: string) {
  const frames: LiveFrame[] = [];
  const stop = t.app.get(EventBus).subscribe(topic, (_topic, frame) => frames.push(frame));
  return { frames, stop };
}

// Several instances need one database they all reach: the embedded engine belongs to one process.
(process.env.DATABASE_URL ? describe : describe.skip)('agents across instances (one database, one Redis)', () => {
  const redis = sharedRedis('agents-instances');
  let a: TestApp;
  let b: TestApp;
  let own: Awaited<ReturnType<typeof privateDatabase>> | undefined;

  beforeAll(async () => {
    // A database of their own: on the run's shared one, the two instances' outbox would also take
    // the retries earlier specs left due, and this spec's notification would queue behind them.
    own = await privateDatabase();
    const env = { ...redis.env, ...own.env, AGENT_HEARTBEAT_MS: '1000', BUFFER_FLUSH_MS: '50', NOTIFY_ALLOW_PRIVATE: 'true' };
    a = await startTestApp(env);
    b = await startTestApp(env);
    for (const t of [a, b]) await eventually(async () => t.app.get(RedisConnection).connected, Boolean);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await own?.drop();
    await redis.close();
  });

  it('a newer socket of the host on B closes the one on A with 4001, and the host stays online throughout', async () => {
    const tenant = await signup(a);
    const host = await enrolledHost(a, tenant);
    const onA = await AgentClient.connect(a.baseUrl, host.agentToken);
    await eventually(() => hostStatus(b, tenant, host.hostId), (status) => status === 'online');
    const seenOnA = record(a, hostTopic(host.hostId));

    const onB = await AgentClient.connect(b.baseUrl, host.agentToken);
    expect(await onA.closed).toEqual({ code: 4001, reason: expect.stringContaining('Replaced') });
    // Longer than the presence batch and the release round trip: a wrongful offline would be written by now.
    await sleep(500);
    expect(await hostStatus(a, tenant, host.hostId)).toBe('online');
    expect(seenOnA.frames.filter((frame) => (frame.data as { status: string }).status === 'offline')).toEqual([]);
    seenOnA.stop();
    const holder = await redis.client.get(`${redis.prefix}agents:host:${host.hostId}`);
    expect(holder?.startsWith(`${b.app.get(RedisConnection).instanceId}/`)).toBe(true);
    // The socket on B is the host's one: it keeps working.
    expect(await onB.send({ type: 'hello', agentVersion: '1.0.0', hostname: 'h' })).toEqual(ack);
    await onB.close();
    await eventually(() => hostStatus(a, tenant, host.hostId), (status) => status === 'offline');
  });

  it('an action posted to B reaches the agent on A, and its result is read through B and pushed to B', async () => {
    const tenant = await signup(a);
    const host = await enrolledHost(a, tenant);
    const agent = await AgentClient.connect(a.baseUrl, host.agentToken);
    const { containerId, docker } = await reportContainer(a, tenant, host.hostId, agent);
    // A dashboard on B watches the organization's commands; A must know before its result goes out.
    const onB = record(b, commandsTopic(tenant.organizationId));
    await eventually(async () => a.app.get(EventBus).hasSubscribers(commandsTopic(tenant.organizationId)), Boolean, 5_000);

    const accepted = (await act(b, tenant, containerId, 'restart').expect(202)).body;
    expect(accepted).toMatchObject({ status: 'sent', action: 'restart' });
    const frame = await eventually(async () => agent.frames.find((f) => f.type === 'command'), Boolean, 5_000);
    expect(frame).toEqual({ type: 'command', commandId: accepted.commandId, action: 'restart', containerId: docker, timeoutMs: 30_000 });
    expect(await agent.send({ type: 'command_result', commandId: accepted.commandId, status: 'succeeded', message: 'restarted' })).toEqual(ack);
    const view = (await b.http().get(`/api/commands/${accepted.commandId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
    expect(view).toMatchObject({ id: accepted.commandId, status: 'succeeded', message: 'restarted' });
    const pushed = await eventually(async () => onB.frames.map((frame) => frame.data as { id: string; status: string }).filter((data) => data.id === accepted.commandId), (list) => list.at(-1)?.status === 'succeeded', 5_000);
    expect(pushed.map((data) => data.status)).toEqual(['pending', 'sent', 'succeeded']);
    onB.stop();
    await agent.close();
  });

  it('answers 409 when no instance holds the host, on either instance', async () => {
    const tenant = await signup(a);
    const host = await enrolledHost(a, tenant);
    const agent = await AgentClient.connect(a.baseUrl, host.agentToken);
    const { containerId } = await reportContainer(a, tenant, host.hostId, agent);
    await agent.close();
    await eventually(() => hostStatus(b, tenant, host.hostId), (status) => status === 'offline');
    for (const t of [a, b]) {
      const res = await act(t, tenant, containerId, 'stop').expect(409);
      expect(res.body.message).toBe(`Agent of host ${host.hostId} is offline`);
    }
  });

  it('deleting the host through B closes its socket on A with 4003', async () => {
    const tenant = await signup(a);
    const host = await enrolledHost(a, tenant);
    const agent = await AgentClient.connect(a.baseUrl, host.agentToken);
    await eventually(async () => redis.client.exists(`${redis.prefix}agents:host:${host.hostId}`), (n) => n === 1);
    await b.http().delete(`/api/hosts/${host.hostId}`).auth(tenant.token, { type: 'bearer' }).expect(204);
    expect((await agent.closed).code).toBe(4003);
  });

  it('a rule created, disabled or deleted through A is in force on B at once, not after its periodic reread', async () => {
    const tenant = await signup(a);
    const api = (method: 'post' | 'patch' | 'delete', path: string) => a.http()[method](path).auth(tenant.token, { type: 'bearer' });
    const { id: ruleId } = (await api('post', '/api/alert-rules').send({ name: 'Died', severity: 'critical', condition: { type: 'container_event', events: ['died'] }, channelIds: [] }).expect(201)).body;
    expect(a.app.get(RuleBook).rule(ruleId)).toBeDefined();
    await eventually(async () => b.app.get(RuleBook).rule(ruleId), Boolean, 2_000);
    await api('patch', `/api/alert-rules/${ruleId}`).send({ enabled: false }).expect(200);
    expect(a.app.get(RuleBook).rule(ruleId)).toBeUndefined();
    await eventually(async () => b.app.get(RuleBook).rule(ruleId), (rule) => rule === undefined, 2_000);
    await api('patch', `/api/alert-rules/${ruleId}`).send({ enabled: true }).expect(200);
    await eventually(async () => b.app.get(RuleBook).rule(ruleId), Boolean, 2_000);
    await api('delete', `/api/alert-rules/${ruleId}`).expect(204);
    await eventually(async () => b.app.get(RuleBook).rule(ruleId), (rule) => rule === undefined, 2_000);
  });

  it('a metric alert opened on A is resolved by B once the host moved there and the condition cleared', async () => {
    const tenant = await signup(a);
    const host = await enrolledHost(a, tenant, 'mover');
    const onA = await AgentClient.connect(a.baseUrl, host.agentToken);
    const { containerId, docker } = await reportContainer(a, tenant, host.hostId, onA);
    const { id: ruleId } = (
      await a
        .http()
        .post('/api/alert-rules')
        .auth(tenant.token, { type: 'bearer' })
        .send({ name: 'CPU', severity: 'warning', enabled: true, scope: { hostIds: [host.hostId] }, condition: { type: 'container_metric', metric: 'cpuPercent', op: '>', threshold: 80, for: '3s' }, channelIds: [] })
        .expect(201)
    ).body;
    // A tells B over Redis; B would otherwise reread within 15 s.
    await eventually(async () => b.app.get(RuleBook).rule(ruleId), Boolean, 2_000);
    const alerts = async () => (await b.http().get('/api/alerts').query({ ruleId }).auth(tenant.token, { type: 'bearer' }).expect(200)).body.items as any[];
    const start = Date.now() - 10_000;
    for (let i = 0; i <= 4; i++) expect(await onA.send({ type: 'metrics', data: [metric(docker, start + i * 1_000, { cpuPercent: 95 })] })).toEqual(ack);
    const [firing] = await eventually(alerts, (items) => items[0]?.state === 'firing');
    expect(firing.subject.containerId).toBe(containerId);

    const onB = await AgentClient.connect(b.baseUrl, host.agentToken);
    expect((await onA.closed).code).toBe(4001);
    // Well before A's staleness rule (a minute of silence) could resolve it: B must know A's alert.
    const deadline = Date.now() + 20_000;
    for (let i = 5; (await alerts())[0].state === 'firing' && Date.now() < deadline; i++) {
      expect(await onB.send({ type: 'metrics', data: [metric(docker, start + i * 1_000, { cpuPercent: 5 })] })).toEqual(ack);
      await sleep(500);
    }
    const items = await alerts();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: firing.id, state: 'resolved' });
    await onB.close();
  }, 60_000);

  it('a host-offline alert fires once and notifies once, and both instances know it is firing', async () => {
    const receiver = await startAlertReceiver();
    try {
      const tenant = await signup(a);
      const host = await enrolledHost(a, tenant, 'gone');
      const ruleId = await hostOfflineRule(a, tenant, `${receiver.base}/hook`, { hostIds: [host.hostId] });
      const agent = await AgentClient.connect(b.baseUrl, host.agentToken);
      await agent.close();
      const alerts = async () => (await a.http().get('/api/alerts').query({ ruleId }).auth(tenant.token, { type: 'bearer' }).expect(200)).body.items as any[];
      await eventually(alerts, (items) => items.length === 1, 40_000);
      await receiver.waitFor((d) => d.json?.alert?.ruleId === ruleId, 1, 20_000);
      for (const t of [a, b]) await eventually(async () => t.app.get(AlertLifecycle).isFiring(ruleId, host.hostId), Boolean, 20_000);
      // Both go on checking presence every 2 s: a second alert or notification would show by now.
      await sleep(6_000);
      expect(await alerts()).toHaveLength(1);
      expect(receiver.accepted.filter((d) => d.json?.alert?.ruleId === ruleId)).toHaveLength(1);

      // Back on A: one instance resolves it, and both forget it.
      const back = await AgentClient.connect(a.baseUrl, host.agentToken);
      await eventually(alerts, (items) => items[0].state === 'resolved', 20_000);
      for (const t of [a, b]) await eventually(async () => t.app.get(AlertLifecycle).isFiring(ruleId, host.hostId), (firing) => !firing, 20_000);
      await back.close();
    } finally {
      await receiver.close();
    }
  }, 120_000);
});

describe('one instance with Redis', () => {
  const redis = sharedRedis('agents-one-instance');
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ...redis.env, BUFFER_FLUSH_MS: '50' });
    await eventually(async () => t.app.get(RedisConnection).connected, Boolean);
  });
  afterAll(async () => {
    await t?.close();
    await redis.close();
  });

  it('replaces a host socket with 4001 on the same instance, runs actions, and answers 409 once the agent left', async () => {
    const tenant = await signup(t);
    const host = await enrolledHost(t, tenant);
    const first = await AgentClient.connect(t.baseUrl, host.agentToken);
    const second = await AgentClient.connect(t.baseUrl, host.agentToken);
    expect((await first.closed).code).toBe(4001);
    await sleep(300);
    expect(await hostStatus(t, tenant, host.hostId)).toBe('online');

    const { containerId } = await reportContainer(t, tenant, host.hostId, second);
    const { commandId } = (await act(t, tenant, containerId, 'start').expect(202)).body;
    await eventually(async () => second.frames.find((f) => f.type === 'command' && f.commandId === commandId), Boolean, 5_000);

    await second.close();
    await eventually(() => hostStatus(t, tenant, host.hostId), (status) => status === 'offline');
    expect(await redis.client.exists(`${redis.prefix}agents:host:${host.hostId}`)).toBe(0);
    expect((await act(t, tenant, containerId, 'start').expect(409)).body.message).toBe(`Agent of host ${host.hostId} is offline`);
  });
});
