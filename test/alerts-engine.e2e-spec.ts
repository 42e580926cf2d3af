import { EventEvaluator } from '../src/alerts/engine/event-evaluator.js';
import { LogEvaluator } from '../src/alerts/engine/log-evaluator.js';
import { AgentClient } from './support/agent-client.js';
import { eventually, startAlertReceiver } from './support/alert-receiver.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId, logLine, metric } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('alerts: conditions evaluated on the accepted stream', () => {
  let t: TestApp;
  let tenant: Tenant;
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
  let channelId: string;
  let agent: AgentClient;
  let hostId: string;

  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string, token = tenant.token) => t.http()[method](path).auth(token, { type: 'bearer' });
  const alerts = async (query: Record<string, string> = {}) => (await api('get', '/api/alerts').query(query).expect(200)).body.items as any[];

  async function rule(body: Record<string, unknown>) {
    const res = await api('post', '/api/alert-rules').send({ severity: 'warning', scope: {}, channelIds: [channelId], enabled: true, ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function newContainer(name: string) {
    const docker = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(docker, { name: `/${name}` })] })).toMatchObject({ type: 'ack' });
    const list = await api('get', `/api/hosts/${hostId}/containers`).expect(200);
    return { docker, id: list.body.find((c: any) => c.name.replace(/^\//, '') === name).id as string };
  }

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', NOTIFY_ALLOW_PRIVATE: 'true' });
    tenant = await signup(t);
    const host = await enrolledHost(t, tenant, 'alpha');
    hostId = host.hostId;
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    channelId = (await api('post', '/api/notification-channels').send({ name: 'hook', type: 'webhook', config: { url: `${receiver.base}/hook`, secret: 's3cret' } }).expect(201)).body.id;
  });
  afterAll(async () => {
    await agent?.close();
    await t?.close();
    await receiver?.close();
  });

  it('fires a container metric rule once its mean held for `for`, and resolves it', async () => {
    const { docker, id } = await newContainer('api-1');
    const ruleId = await rule({ name: 'CPU high', condition: { type: 'container_metric', metric: 'cpuPercent', op: '>', threshold: 80, for: '3s' } });
    const start = Date.now() - 10_000;
    for (let i = 0; i <= 4; i++) expect(await agent.send({ type: 'metrics', data: [metric(docker, start + i * 1000, { cpuPercent: 95 })] })).toMatchObject({ type: 'ack' });
    const [firing] = await eventually(() => alerts({ state: 'firing', ruleId }), (items) => items.length === 1);
    expect(firing).toMatchObject({ ruleName: 'CPU high', state: 'firing', subject: { hostId, containerId: id, name: 'api-1' }, value: 95, silenced: false });
    const [delivery] = await receiver.waitFor((d) => d.json?.alert?.id === firing.id);
    expect(delivery.json).toMatchObject({ type: 'alert', event: 'firing', alert: { id: firing.id, ruleName: 'CPU high' } });
    for (let i = 5; i <= 9; i++) expect(await agent.send({ type: 'metrics', data: [metric(docker, start + i * 1000, { cpuPercent: 5 })] })).toMatchObject({ type: 'ack' });
    const [resolved] = await eventually(() => alerts({ ruleId }), (items) => items[0]?.state === 'resolved');
    expect(resolved.id).toBe(firing.id);
    expect(await alerts({ ruleId })).toHaveLength(1);
  });

  it('fires `died` with the crash context, and not for an exit DockPulse asked for', async () => {
    const { docker, id } = await newContainer('worker-1');
    await newContainer('neighbour-1');
    const ruleId = await rule({ name: 'Crash', severity: 'critical', condition: { type: 'container_event', events: ['died', 'oom_killed'] } });
    const now = Date.now();
    await agent.send({ type: 'metrics', data: [metric(docker, now - 60_000, { memoryUsed: 42 })] });
    await agent.send({ type: 'logs', data: Array.from({ length: 60 }, (_, i) => logLine(docker, now - 5_000 + i, `line ${i}`)) });
    expect(await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now, action: 'die', exitCode: 3 }] })).toMatchObject({ type: 'ack' });
    const [firing] = await eventually(() => alerts({ state: 'firing', ruleId }), (items) => items.length === 1);
    expect(firing.subject).toMatchObject({ containerId: id, name: 'worker-1' });
    expect(firing.context).toMatchObject({ exitCode: 3, oomKilled: false, event: 'died' });
    expect(firing.context.lastLogLines).toHaveLength(50);
    expect(firing.context.lastLogLines.at(-1).line).toBe('line 59');
    expect(firing.context.metrics).toEqual([expect.objectContaining({ memoryUsed: 42 })]);
    expect(firing.context.neighbours.map((n: any) => n.name)).toContain('neighbour-1');
    expect(firing.context.topProcesses).toEqual([]);

    // Running again resolves it; an OOM kill opens a new one that knows it was the OOM killer.
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now + 1000, action: 'start' }] });
    await eventually(() => alerts({ ruleId }), (items) => items[0]?.state === 'resolved');
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now + 2000, action: 'oom' }, { containerId: docker, ts: now + 2001, action: 'die', exitCode: 137 }] });
    // Within five minutes of the resolution the same alert fires again (flapping), now about the OOM kill.
    const [again] = await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1);
    expect(again.id).toBe(firing.id);
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now + 3000, action: 'start' }] });
    await eventually(() => alerts({ ruleId }), (items) => items[0]?.state === 'resolved');
  });

  it('an OOM kill opens `oom_killed` with oomKilled in its context', async () => {
    const { docker } = await newContainer('hungry');
    const ruleId = await rule({ name: 'OOM', condition: { type: 'container_event', events: ['oom_killed'] } });
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: Date.now(), action: 'oom' }, { containerId: docker, ts: Date.now() + 1, action: 'die', exitCode: 137 }] });
    const [firing] = await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1);
    expect(firing.message).toMatch(/out of memory/);
    expect(firing.context).toMatchObject({ event: 'oom_killed', oomKilled: true, exitCode: 137 });
  });

  it('does not fire `died` for an exit caused by a stop asked through DockPulse', async () => {
    const { docker, id } = await newContainer('stopped-on-purpose');
    const ruleId = await rule({ name: 'Died', condition: { type: 'container_event', events: ['died'] } });
    await api('post', `/api/containers/${id}/actions`).send({ action: 'stop' }).expect(202);
    expect(await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: Date.now(), action: 'die', exitCode: 143 }] })).toMatchObject({ type: 'ack' });
    // The same exit without an action does fire: wait for that, then check the first never did.
    const other = await newContainer('crashed-alone');
    expect(await agent.send({ type: 'container_events', data: [{ containerId: other.docker, ts: Date.now(), action: 'die', exitCode: 143 }] })).toMatchObject({ type: 'ack' });
    await eventually(() => alerts({ ruleId, containerId: other.id }), (items) => items.length === 1);
    expect(await alerts({ ruleId, containerId: id })).toEqual([]);
  });

  it('keeps one alert and one firing notification for a subject that flaps inside one `for` window', async () => {
    const { docker } = await newContainer('flappy');
    const ruleId = await rule({ name: 'Flappy memory', condition: { type: 'container_metric', metric: 'memoryPercent', op: '>', threshold: 50, for: '2s' } });
    const start = Date.now() - 60_000;
    // 1 000 MB limit: alternating 2 s of 90 % and 2 s of 10 % moves the 2-second mean across 50 % again and again.
    for (let i = 0; i < 24; i++) {
      const high = Math.floor(i / 2) % 2 === 0;
      await agent.send({ type: 'metrics', data: [metric(docker, start + i * 1000, { memoryLimit: 1_000_000_000, memoryUsed: high ? 900_000_000 : 100_000_000 })] });
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const all = await alerts({ ruleId });
    expect(all).toHaveLength(1);
    const firings = receiver.accepted.filter((d) => d.json?.alert?.ruleId === ruleId && d.json.event === 'firing');
    expect(firings).toHaveLength(1);
    expect(receiver.accepted.filter((d) => d.json?.alert?.ruleId === ruleId && d.json.event === 'resolved')).toHaveLength(0);
  });

  it('fires `log_match` at the line that makes `count` within `within`', async () => {
    const { docker, id } = await newContainer('noisy');
    const ruleId = await rule({ name: 'Timeouts', condition: { type: 'log_match', q: 'TIMEOUT', stream: 'stderr', count: 3, within: '1m' } });
    const now = Date.now();
    await agent.send({ type: 'logs', data: [logLine(docker, now - 3, 'request timeout', 'stderr'), logLine(docker, now - 2, 'Timeout again', 'stdout')] });
    await agent.send({ type: 'logs', data: [logLine(docker, now - 1, 'upstream TIMEOUT', 'stderr')] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await alerts({ ruleId })).toEqual([]);
    await agent.send({ type: 'logs', data: [logLine(docker, now, 'timeout #3', 'stderr')] });
    const [firing] = await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1);
    expect(firing).toMatchObject({ subject: { containerId: id }, value: 3 });
    expect(firing.message).toContain('timeout #3');
    // A minute later fewer than three lines matched within the last minute.
    t.app.get(LogEvaluator).reconsider(Date.now() + 61_000);
    await eventually(() => alerts({ ruleId }), (items) => items[0]?.state === 'resolved');
  });

  it('fires `restart_loop` at the third start within five minutes and `unhealthy` until healthy', async () => {
    const { docker, id } = await newContainer('looper');
    const loopRule = await rule({ name: 'Loop', condition: { type: 'container_event', events: ['restart_loop'] } });
    const healthRule = await rule({ name: 'Health', condition: { type: 'container_event', events: ['unhealthy'] } });
    const now = Date.now();
    await agent.send({ type: 'container_events', data: [0, 1].map((i) => ({ containerId: docker, ts: now - 3_000 + i * 1000, action: 'start' })) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await alerts({ ruleId: loopRule })).toEqual([]);
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now, action: 'start' }] });
    await eventually(() => alerts({ ruleId: loopRule, state: 'firing', containerId: id }), (items) => items.length === 1);
    // Five minutes without a third start end the loop.
    t.app.get(EventEvaluator).reconsider(Date.now() + 5 * 60_000 + 1_000);
    await eventually(() => alerts({ ruleId: loopRule }), (items) => items[0]?.state === 'resolved');

    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now + 1, action: 'health_status', health: 'unhealthy' }] });
    const [unhealthy] = await eventually(() => alerts({ ruleId: healthRule, state: 'firing' }), (items) => items.length === 1);
    expect(unhealthy.context).toMatchObject({ event: 'unhealthy' });
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now + 2, action: 'health_status', health: 'healthy' }] });
    await eventually(() => alerts({ ruleId: healthRule }), (items) => items[0]?.state === 'resolved');
  });

  it('fires a host metric rule on the host', async () => {
    const ruleId = await rule({ name: 'Disk', condition: { type: 'host_metric', metric: 'diskPercent', op: '>', threshold: 90, for: '2s' } });
    const start = Date.now() - 30_000;
    for (let i = 0; i <= 3; i++) await agent.send({ type: 'host_metrics', data: [{ ...hostSample(start + i * 1000), diskUsed: 95, diskTotal: 100 }] });
    const [firing] = await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1);
    expect(firing.subject).toEqual({ hostId, name: 'alpha', hostName: 'alpha' });
    expect(firing.value).toBe(95);
    for (let i = 4; i <= 7; i++) await agent.send({ type: 'host_metrics', data: [{ ...hostSample(start + i * 1000), diskUsed: 50, diskTotal: 100 }] });
    await eventually(() => alerts({ ruleId }), (items) => items[0]?.state === 'resolved');
  });
});

const hostSample = (ts: number) => ({
  ts,
  cpuPercent: 10,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  memoryUsed: 4e9,
  memoryTotal: 16e9,
  diskUsed: 5e10,
  diskTotal: 5e11,
  networkRx: 1,
  networkTx: 1,
});
