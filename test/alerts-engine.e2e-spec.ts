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
    if (res.status === 201) return res.body.id as string;
    // Until the rules API lands, rules are written directly (the evaluator reads the table).
    const [row] = await t.sql.query<{ id: string }>(
      `INSERT INTO alert_rules (organization_id, name, severity, scope, condition, channel_ids, notify_resolved, repeat_every, repeat_every_ms)
       VALUES ((SELECT organization_id FROM users WHERE email = $1), $2, $3, $4::jsonb, $5::jsonb, $6::uuid[], $7, $8, $9) RETURNING id`,
      [tenant.email, body.name, body.severity ?? 'warning', JSON.stringify(body.scope ?? {}), JSON.stringify(body.condition), [channelId], body.notifyResolved ?? true, null, null],
    );
    await (t.app.get((await import('../src/alerts/engine/rule-book.js')).RuleBook) as any).reload();
    return row.id;
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
  });
});
