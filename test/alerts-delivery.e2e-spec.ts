import { createHmac } from 'node:crypto';
import { AgentClient } from './support/agent-client.js';
import { eventually, startAlertReceiver } from './support/alert-receiver.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId, metric } from './support/telemetry.js';
import { startTestApp, tempDir, type TestApp } from './support/test-app.js';

const SECRET = 'shared-webhook-secret';
const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const ENV = { BUFFER_FLUSH_MS: '50', NOTIFY_ALLOW_PRIVATE: 'true', NOTIFY_RETRY_BASE: '200ms', NOTIFY_RETRY_MAX: '500ms', PUBLIC_URL: 'https://dockpulse.example.com/' };

/** From a condition to the receiver, through restarts of the server and outages of the receiver. */
describe('alerts: notifications delivered once, across restarts and outages', () => {
  let t: TestApp;
  let dataDir: string;
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;
  let channelId: string;

  const api = (method: 'get' | 'post' | 'patch', path: string) => t.http()[method](path).auth(tenant.token, { type: 'bearer' });
  const alerts = async (query: Record<string, string> = {}) => (await api('get', '/api/alerts').query(query).expect(200)).body.items as any[];
  const rule = async (name: string, condition: object, extra: object = {}) =>
    (await api('post', '/api/alert-rules').send({ name, severity: 'critical', enabled: true, scope: {}, condition, channelIds: [channelId], ...extra }).expect(201)).body.id as string;
  async function newContainer(name: string) {
    const docker = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(docker, { name: `/${name}` })] })).toMatchObject({ type: 'ack' });
    const list = (await api('get', `/api/hosts/${host.hostId}/containers`).expect(200)).body as { id: string; name: string }[];
    return { docker, id: list.find((c) => c.name.replace(/^\//, '') === name)!.id };
  }
  /** Stops the server and starts another on the same database; the agent reconnects. */
  async function restart() {
    await agent.close();
    await t.close();
    t = await startTestApp({ ...ENV, DATA_DIR: dataDir });
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  }
  const prometheus = async () => (await t.http().get('/metrics').expect(200)).text;

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    dataDir = tempDir();
    t = await startTestApp({ ...ENV, DATA_DIR: dataDir });
    tenant = await signup(t);
    host = await enrolledHost(t, tenant, 'db-host');
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    channelId = (await api('post', '/api/notification-channels').send({ name: 'hook', type: 'webhook', config: { url: `${receiver.base}/hook`, secret: SECRET } }).expect(201)).body.id;
  });
  afterAll(async () => {
    await agent?.close();
    await t?.close();
    await receiver?.close();
  });

  it('signs the alert event, links it through PUBLIC_URL, and records the delivery on the alert', async () => {
    const { docker } = await newContainer('signed');
    const ruleId = await rule('Died', { type: 'container_event', events: ['died'] });
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: Date.now(), action: 'die', exitCode: 4 }] });
    const [delivery] = await receiver.waitFor((d) => d.json?.alert?.ruleId === ruleId);
    expect(delivery.headers['x-dockpulse-signature']).toBe(sign(delivery.body));
    expect(delivery.headers['x-dockpulse-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery.json).toMatchObject({ type: 'alert', event: 'firing', alert: { ruleName: 'Died', state: 'firing', context: { exitCode: 4 } } });
    expect(delivery.json.url).toBe(`https://dockpulse.example.com/alerts/${delivery.json.alert.id}`);
    const [alert] = await eventually(() => alerts({ ruleId }), (items) => items[0]?.notifications[0]?.status === 'sent');
    expect(alert.notifications).toEqual([{ channelId, event: 'firing', status: 'sent', attempts: 1, lastError: null, sentAt: expect.any(String) }]);
    // Counted at scrape time, for all instances.
    await eventually(prometheus, (text) => /dockpulse_alerts_firing\{severity="critical"\} [1-9]/.test(text), 6_000);
  });

  it('retries while the receiver is down, with the same delivery id, and delivers once it is up', async () => {
    const { docker } = await newContainer('retried');
    const ruleId = await rule('Died again', { type: 'container_event', events: ['died'] });
    receiver.down();
    try {
      await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: Date.now(), action: 'die', exitCode: 5 }] });
      await eventually(
        async () => receiver.received.filter((d) => d.json?.alert?.ruleId === ruleId),
        (tries) => tries.length >= 3,
      );
      const [pending] = await alerts({ ruleId });
      expect(pending.notifications[0]).toMatchObject({ status: 'pending', lastError: expect.stringContaining('503') });
    } finally {
      receiver.up();
    }
    const [delivered] = await receiver.waitFor((d) => d.json?.alert?.ruleId === ruleId);
    const tries = receiver.received.filter((d) => d.json?.alert?.ruleId === ruleId);
    expect(new Set(tries.map((d) => d.headers['x-dockpulse-delivery']))).toEqual(new Set([delivered.headers['x-dockpulse-delivery']]));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.accepted.filter((d) => d.json?.alert?.ruleId === ruleId)).toHaveLength(1);
  });

  it('a restart while a notification is pending delivers it exactly once', async () => {
    const { docker } = await newContainer('pending-over-restart');
    const ruleId = await rule('Died while down', { type: 'container_event', events: ['died'] });
    receiver.down();
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: Date.now(), action: 'die', exitCode: 6 }] });
    await eventually(async () => receiver.received.filter((d) => d.json?.alert?.ruleId === ruleId), (tries) => tries.length >= 1);
    await restart();
    receiver.up();
    const [delivered] = await receiver.waitFor((d) => d.json?.alert?.ruleId === ruleId);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.accepted.filter((d) => d.json?.alert?.ruleId === ruleId)).toHaveLength(1);
    expect(new Set(receiver.received.filter((d) => d.json?.alert?.ruleId === ruleId).map((d) => d.headers['x-dockpulse-delivery']))).toEqual(
      new Set([delivered.headers['x-dockpulse-delivery']]),
    );
  });

  it('a restart while firing neither fires again nor misses the resolution; resolved is announced once', async () => {
    const { docker } = await newContainer('hot');
    const ruleId = await rule('CPU', { type: 'container_metric', metric: 'cpuPercent', op: '>', threshold: 80, for: '2s' }, { notifyResolved: true });
    let ts = Date.now() - 30_000;
    const send = async (cpuPercent: number, count: number) => {
      for (let i = 0; i < count; i++) expect(await agent.send({ type: 'metrics', data: [metric(docker, (ts += 1000), { cpuPercent })] })).toMatchObject({ type: 'ack' });
    };
    await send(95, 4);
    const [firing] = await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1);
    await receiver.waitFor((d) => d.json?.alert?.id === firing.id && d.json.event === 'firing');

    await restart();
    await send(96, 4);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await alerts({ ruleId })).toEqual([expect.objectContaining({ id: firing.id, state: 'firing' })]);

    await restart();
    await send(10, 4);
    const [resolved] = await eventually(() => alerts({ ruleId }), (items) => items[0]?.state === 'resolved');
    expect(resolved.id).toBe(firing.id);
    // The resolution is held back one `for` (flapping), then announced once.
    await receiver.waitFor((d) => d.json?.alert?.id === firing.id && d.json.event === 'resolved');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const events = receiver.accepted.filter((d) => d.json?.alert?.id === firing.id).map((d) => d.json.event);
    expect(events).toEqual(['firing', 'resolved']);
  });

  it('catches a window up from the database after a restart', async () => {
    const { docker } = await newContainer('half-window');
    const ruleId = await rule('Memory', { type: 'container_metric', metric: 'memoryUsed', op: '>', threshold: 1_000, for: '3s' });
    let ts = Date.now() - 20_000;
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) expect(await agent.send({ type: 'metrics', data: [metric(docker, (ts += 1000), { memoryUsed: 5_000 })] })).toMatchObject({ type: 'ack' });
    };
    await send(3); // 2 s of the 3 s window
    await restart();
    await send(1); // the window is whole only with the samples from before the restart
    const [firing] = await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1, 5_000);
    expect(firing.value).toBe(5_000);
  });

  it('a rule enabled after start-up starts from live samples, not from what was stored before it', async () => {
    const { docker } = await newContainer('late-rule');
    let ts = Date.now() - 20_000;
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) expect(await agent.send({ type: 'metrics', data: [metric(docker, (ts += 1000), { memoryUsed: 5_000 })] })).toMatchObject({ type: 'ack' });
    };
    await send(4);
    // A span no other rule here watches: the window is new (a rule sharing a live window reads what it holds).
    const ruleId = await rule('Late memory', { type: 'container_metric', metric: 'memoryUsed', op: '>', threshold: 1_000, for: '4s' });
    await send(1); // with the 4 s stored before the rule, this would complete its window
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await alerts({ ruleId })).toEqual([]);
    await send(4);
    await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1, 5_000);
  });

  it('reminds while firing every `repeatEvery`', async () => {
    const { docker } = await newContainer('nagged');
    const ruleId = await rule('Unhealthy', { type: 'container_event', events: ['unhealthy'] }, { repeatEvery: '1m', notifyResolved: false });
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: Date.now(), action: 'health_status', health: 'unhealthy' }] });
    const [firing] = await eventually(() => alerts({ ruleId, state: 'firing' }), (items) => items.length === 1);
    await receiver.waitFor((d) => d.json?.alert?.id === firing.id && d.json.event === 'firing');
    // A minute is long for a test: move the last notification back instead of waiting.
    await t.sql.query(`UPDATE alerts SET last_notified_at = now() - interval '61 seconds' WHERE id = $1::uuid`, [firing.id]);
    const [reminder] = await receiver.waitFor((d) => d.json?.alert?.id === firing.id && d.json.event === 'repeat', 1, 10_000);
    expect(reminder.headers['x-dockpulse-delivery']).not.toBe(receiver.accepted.find((d) => d.json?.alert?.id === firing.id)!.headers['x-dockpulse-delivery']);
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: Date.now(), action: 'health_status', health: 'healthy' }] });
    await eventually(() => alerts({ ruleId }), (items) => items[0]?.state === 'resolved');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.accepted.filter((d) => d.json?.alert?.id === firing.id).map((d) => d.json.event)).toEqual(['firing', 'repeat']);
  });
});
