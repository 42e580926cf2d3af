import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { commandsTopic } from '../src/commands/command-events.js';
import { EventBus } from '../src/events/event-bus.js';
import { LiveGateway } from '../src/live/live.gateway.js';
import { AgentClient } from './support/agent-client.js';
import { addUser, enrolledHost, hostWithContainer, signup, type Tenant } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { container, dockerId, hostMetric, logLine, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('LiveGateway: topics, fan-out and authorization', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', LIVE_HEARTBEAT_MS: '300' });
    [tenant, other] = [await signup(t), await signup(t)];
    viewer = await addUser(t, tenant, 'viewer');
  });
  afterAll(() => t.close());

  it('pushes an agent`s container metrics to a viewer`s dashboard and measures the latency', async () => {
    const { agent, docker, containerId } = await hostWithContainer(t, tenant);
    const dashboard = await LiveClient.connect(t, viewer);
    const topic = `container:${containerId}:metrics`;
    expect(await dashboard.subscribe(topic)).toEqual({ topics: [topic], errors: [] });
    const ts = Date.now();
    const sentAt = performance.now();
    const acked = agent.send({ type: 'metrics', data: [metric(docker, ts, { cpuPercent: 42.5 }), metric(docker, ts + 1000, { pids: 9 })] });
    const { frame, at } = await dashboard.next((f) => f.type === 'metrics');
    console.log(`live latency, agent metrics frame sent → dashboard frame received: ${(at - sentAt).toFixed(1)} ms`);
    const sample = (when: number, overrides: Record<string, unknown>) => {
      const { containerId: _docker, ts: _ts, ...values } = metric(docker, when, overrides);
      return { containerId, ts: new Date(when).toISOString(), ...values };
    };
    expect(frame).toEqual({ type: 'metrics', topic, data: [sample(ts, { cpuPercent: 42.5 }), sample(ts + 1000, { pids: 9 })] });
    expect(await acked).toMatchObject({ type: 'ack' });
    await Promise.all([dashboard.close(), agent.close()]);
  });

  it('pushes logs, host metrics, the container inventory and host status', async () => {
    const { hostId, agentToken, agent, docker, containerId } = await hostWithContainer(t, tenant);
    const dashboard = await LiveClient.connect(t, tenant.token);
    const topics = [`container:${containerId}:logs`, `host:${hostId}:metrics`, `host:${hostId}`];
    expect(await dashboard.subscribe(...topics)).toEqual({ topics, errors: [] });
    const ts = Date.now();

    await agent.send({ type: 'logs', data: [logLine(docker, ts, 'hello live'), logLine(docker, ts + 1, 'oops', 'stderr')] });
    expect((await dashboard.next((f) => f.type === 'logs')).frame).toEqual({
      type: 'logs',
      topic: topics[0],
      data: [
        { containerId, ts: new Date(ts).toISOString().replace('Z', '000Z'), stream: 'stdout', line: 'hello live', truncated: false },
        { containerId, ts: new Date(ts + 1).toISOString().replace('Z', '000Z'), stream: 'stderr', line: 'oops', truncated: false },
      ],
    });

    await agent.send({ type: 'host_metrics', data: [hostMetric(ts, { cpuPercent: 77 })] });
    const { ts: _ts, ...values } = hostMetric(ts, { cpuPercent: 77 });
    expect((await dashboard.next((f) => f.type === 'host_metrics')).frame).toEqual({
      type: 'host_metrics',
      topic: topics[1],
      data: [{ hostId, ts: new Date(ts).toISOString(), ...values }],
    });

    const added = dockerId();
    await agent.send({ type: 'containers', data: [container(docker), container(added, { state: 'exited' })] });
    const inventory = (await dashboard.next((f) => f.type === 'containers')).frame;
    const rest = await t.http().get(`/api/hosts/${hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200);
    expect(inventory).toEqual({ type: 'containers', topic: topics[2], data: rest.body });
    expect(inventory.data.map((c: { dockerId: string }) => c.dockerId).sort()).toEqual([docker, added].sort());

    // The HTTP twin of the inventory frame pushes too (it has no organization at hand).
    await t.http().post('/api/agent/containers').auth(agentToken, { type: 'bearer' }).send([container(added)]).expect(200);
    const afterHttp = (await dashboard.next((f) => f.type === 'containers')).frame;
    expect(afterHttp.data.find((c: { dockerId: string }) => c.dockerId === docker).removed).toBe(true);

    await agent.close();
    const offline = (await dashboard.next((f) => f.type === 'host_status')).frame;
    expect(offline).toEqual({ type: 'host_status', topic: topics[2], data: { hostId, status: 'offline', at: expect.any(String) } });
    const again = await AgentClient.connect(t.baseUrl, agentToken);
    expect((await dashboard.next((f) => f.type === 'host_status')).frame.data).toMatchObject({ hostId, status: 'online' });
    await again.close();
    await dashboard.close();
  });

  it('announces status at once, and a replaced agent socket (4001) announces no false offline', async () => {
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    const dashboard = await LiveClient.connect(t, tenant.token);
    await dashboard.subscribe(`host:${hostId}`);
    const first = await AgentClient.connect(t.baseUrl, agentToken);
    expect((await dashboard.next((f) => f.type === 'host_status')).frame.data).toEqual({ hostId, status: 'online', at: expect.any(String) });
    const second = await AgentClient.connect(t.baseUrl, agentToken);
    expect((await first.closed).code).toBe(4001);
    expect((await dashboard.next((f) => f.type === 'host_status')).frame.data.status).toBe('online');
    await sleep(300);
    expect(dashboard.frames.filter((f) => f.type === 'host_status').map((f) => f.data.status)).toEqual(['online', 'online']);
    await second.close();
    expect((await dashboard.next((f) => f.type === 'host_status')).frame.data.status).toBe('offline');
    await dashboard.close();
  });

  it('answers forbidden_topic for other tenants` ids, unknown ids and malformed topics; their data never arrives', async () => {
    const mine = await hostWithContainer(t, tenant);
    const theirs = await hostWithContainer(t, other);
    const spy = await LiveClient.connect(t, other.token);
    const probes = [
      `host:${mine.hostId}`,
      `host:${mine.hostId}:metrics`,
      `container:${mine.containerId}:metrics`,
      `container:${mine.containerId}:logs`,
      `host:${randomUUID()}`,
      `container:${randomUUID()}:metrics`,
      'host:not-a-uuid',
      `container:${theirs.containerId}:cpu`,
      'everything',
    ];
    const answer = await spy.subscribe(...probes, `container:${theirs.containerId}:metrics`);
    expect(answer.topics).toEqual([`container:${theirs.containerId}:metrics`]);
    expect(answer.errors).toEqual(probes.map((topic) => ({ type: 'error', code: 'forbidden_topic', topic })));

    const owner = await LiveClient.connect(t, tenant.token);
    await owner.subscribe(`container:${mine.containerId}:metrics`, `host:${mine.hostId}:metrics`);
    await mine.agent.send({ type: 'metrics', data: [metric(mine.docker, Date.now())] });
    await mine.agent.send({ type: 'host_metrics', data: [hostMetric(Date.now())] });
    await owner.next((f) => f.type === 'metrics');
    await owner.next((f) => f.type === 'host_metrics');
    // The spy's own container still works, so a missing frame means filtering, not a dead socket.
    await theirs.agent.send({ type: 'metrics', data: [metric(theirs.docker, Date.now())] });
    const own = (await spy.next((f) => f.type === 'metrics')).frame;
    expect(own.data[0].containerId).toBe(theirs.containerId);
    expect(spy.frames.filter((f) => ['metrics', 'host_metrics', 'logs', 'containers', 'host_status'].includes(f.type))).toEqual([own]);
    await Promise.all([spy.close(), owner.close(), mine.agent.close(), theirs.agent.close()]);
  });

  it('maps the organization`s command events to the `commands` topic, per tenant', async () => {
    const [mine, theirs] = [await LiveClient.connect(t, viewer), await LiveClient.connect(t, other.token)];
    expect((await mine.subscribe('commands')).topics).toEqual(['commands']);
    expect((await theirs.subscribe('commands')).topics).toEqual(['commands']);
    const bus = t.app.get(EventBus);
    bus.publish(commandsTopic(tenant.organizationId), { type: 'command', data: { id: 'c1', status: 'sent' } });
    expect((await mine.next((f) => f.type === 'command')).frame).toEqual({ type: 'command', topic: 'commands', data: { id: 'c1', status: 'sent' } });
    bus.publish(commandsTopic(other.organizationId), { type: 'command', data: { id: 'c2', status: 'pending' } });
    expect((await theirs.next((f) => f.type === 'command')).frame.data.id).toBe('c2');
    expect(mine.frames.filter((f) => f.type === 'command')).toHaveLength(1);
    expect(theirs.frames.filter((f) => f.type === 'command')).toHaveLength(1);
    await Promise.all([mine.close(), theirs.close()]);
  });

  it('stops delivery on unsubscribe and releases the bus topic when the last dashboard leaves', async () => {
    const { agent, docker, containerId } = await hostWithContainer(t, tenant);
    const topic = `container:${containerId}:metrics`;
    const bus = t.app.get(EventBus);
    const [a, b] = [await LiveClient.connect(t, tenant.token), await LiveClient.connect(t, viewer)];
    await a.subscribe(topic);
    await b.subscribe(topic);
    await agent.send({ type: 'metrics', data: [metric(docker, Date.now() - 2000)] });
    await Promise.all([a.next((f) => f.type === 'metrics'), b.next((f) => f.type === 'metrics')]);

    expect(await a.unsubscribe(topic)).toEqual([topic]);
    await agent.send({ type: 'metrics', data: [metric(docker, Date.now() - 1000)] });
    await b.next((f) => f.type === 'metrics');
    await sleep(100);
    expect(a.dataOn(topic)).toHaveLength(1);
    expect(bus.hasSubscribers(topic)).toBe(true);

    await b.close();
    await waitFor(() => !bus.hasSubscribers(topic));
    await Promise.all([a.close(), agent.close()]);
  });

  it('answers invalid frames with invalid_message and keeps the socket open', async () => {
    const dashboard = await LiveClient.connect(t, tenant.token);
    for (const bad of ['not json', '{"type":"dance"}', '{"type":"subscribe","topics":"commands"}', '[]']) {
      dashboard.send(bad);
      expect((await dashboard.next((f) => f.type === 'error')).frame).toEqual({ type: 'error', code: 'invalid_message', message: expect.any(String) });
    }
    expect(dashboard.socket.readyState).toBe(WebSocket.OPEN);
    expect((await dashboard.subscribe('commands')).topics).toEqual(['commands']);
    await dashboard.close();
  });

  it('closes a socket that sends a frame over the size limit with 1009', async () => {
    const dashboard = await LiveClient.connect(t, tenant.token);
    dashboard.send({ type: 'subscribe', topics: ['x'.repeat(100_000)] });
    expect((await dashboard.closed).code).toBe(1009);
  });

  it('drops a dashboard that stops answering pings', async () => {
    const silent = await LiveClient.connect(t, tenant.token, { autoPong: false });
    const started = Date.now();
    expect((await silent.closed).code).toBe(1006);
    expect(Date.now() - started).toBeLessThan(3_000);
    const alive = await LiveClient.connect(t, tenant.token);
    await sleep(1_000);
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    await alive.close();
  });
});

describe('LiveGateway: no database wait', () => {
  let t: TestApp;
  let tenant: Tenant;
  let closed = false;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '3000', BUFFER_FLUSH_IDLE: 'false' });
    tenant = await signup(t);
  });
  afterAll(() => (closed ? undefined : t.close()));

  it('pushes the frame as soon as it is accepted, long before the flush that acks it', async () => {
    const { agent, docker, containerId } = await hostWithContainer(t, tenant);
    const dashboard = await LiveClient.connect(t, tenant.token);
    await dashboard.subscribe(`container:${containerId}:metrics`);
    const sentAt = performance.now();
    let ackedAt: number | undefined;
    const acked = agent.send({ type: 'metrics', data: [metric(docker, Date.now())] }).then((answer) => {
      ackedAt = performance.now();
      return answer;
    });
    const { at } = await dashboard.next((f) => f.type === 'metrics');
    expect(ackedAt).toBeUndefined();
    expect(await acked).toMatchObject({ type: 'ack' });
    console.log(`live latency with a 3 s flush: dashboard ${(at - sentAt).toFixed(1)} ms, ack ${(ackedAt! - sentAt).toFixed(1)} ms`);
    expect(ackedAt! - at).toBeGreaterThan(1_500);
    await Promise.all([dashboard.close(), agent.close()]);
  });

  it('closes dashboards with 1001 on shutdown', async () => {
    const dashboard = await LiveClient.connect(t, tenant.token);
    await dashboard.subscribe('commands');
    closed = true;
    await t.close();
    expect((await dashboard.closed).code).toBe(1001);
  });
});

describe('LiveGateway: slow consumers', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', LIVE_MAX_BUFFERED_BYTES: '262144', LIVE_HEARTBEAT_MS: '600000' });
    tenant = await signup(t);
  });
  afterAll(() => t.close());

  it('disconnects a dashboard that stops reading; the others and the agent carry on', async () => {
    const gateway = t.app.get(LiveGateway);
    const { agent, docker, containerId } = await hostWithContainer(t, tenant);
    const topic = `container:${containerId}:logs`;
    const [reader, stalled] = [await LiveClient.connect(t, tenant.token), await LiveClient.connect(t, tenant.token)];
    await reader.subscribe(topic);
    await stalled.subscribe(topic);
    expect(gateway.connectionCount()).toBe(2);
    stalled.socket.pause();

    const line = 'x'.repeat(16_000);
    let frames = 0;
    const ackMs: number[] = [];
    while (gateway.connectionCount() > 1 && frames < 60) {
      const ts = Date.now() - 60_000 + frames * 100;
      const started = performance.now();
      const answer = await agent.send({ type: 'logs', data: Array.from({ length: 30 }, (_, i) => logLine(docker, ts + i, `${frames}:${i}:${line}`)) });
      ackMs.push(performance.now() - started);
      expect(answer).toMatchObject({ type: 'ack' });
      frames++;
    }
    await waitFor(() => gateway.connectionCount() === 1);
    console.log(`slow consumer dropped after ${frames} frames of ~480 KB; agent ack times ${Math.min(...ackMs).toFixed(0)}–${Math.max(...ackMs).toFixed(0)} ms`);
    expect(frames).toBeLessThan(60);

    // The reader got every frame, and keeps getting them.
    await waitFor(() => reader.dataOn(topic).length === frames, 10_000);
    await agent.send({ type: 'logs', data: [logLine(docker, Date.now(), 'after the drop')] });
    expect((await reader.next((f) => f.type === 'logs' && f.data[0].line === 'after the drop')).frame.topic).toBe(topic);
    expect(reader.socket.readyState).toBe(WebSocket.OPEN);

    stalled.socket.resume();
    expect([4008, 1006]).toContain((await stalled.closed).code);
    await Promise.all([reader.close(), agent.close()]);
  });
});
