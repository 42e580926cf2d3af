import { AgentClient } from './support/agent-client.js';
import { eventually, startAlertReceiver } from './support/alert-receiver.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Noise control, tenant isolation and the `alerts` topic. */
describe('alerts: who hears of what', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', NOTIFY_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const as = (token: string) => ({
    get: (path: string) => t.http().get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body: object) => t.http().post(path).auth(token, { type: 'bearer' }).send(body),
  });

  async function world(hostName = 'host') {
    const tenant = await signup(t);
    const api = as(tenant.token);
    const host = await enrolledHost(t, tenant, hostName);
    const agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    const channelId = (await api.post('/api/notification-channels', { name: 'hook', type: 'webhook', config: { url: `${receiver.base}/${tenant.email}` } }).expect(201)).body.id;
    const dockers = [dockerId(), dockerId(), dockerId()];
    expect(await agent.send({ type: 'containers', data: dockers.map((d, i) => container(d, { name: `/svc-${i}` })) })).toMatchObject({ type: 'ack' });
    const listed = (await api.get(`/api/hosts/${host.hostId}/containers`).expect(200)).body as { id: string; name: string }[];
    const ids = dockers.map((_, i) => listed.find((c) => c.name.replace(/^\//, '') === `svc-${i}`)!.id);
    const rule = async (name: string, condition: object, extra: object = {}) =>
      (await api.post('/api/alert-rules', { name, severity: 'critical', enabled: true, scope: {}, condition, channelIds: [channelId], ...extra }).expect(201)).body.id as string;
    const alerts = async (query: Record<string, string> = {}) => (await api.get('/api/alerts').query(query).expect(200)).body.items as any[];
    const ingest = (frame: object) => t.http().post('/api/agent/ingest').set('authorization', `Bearer ${host.agentToken}`).send({ seq: 1, ...frame });
    return { tenant, api, host, agent, dockers, ids, channelId, rule, alerts, ingest };
  }

  it('a silent host fires one alert listing its containers; its containers’ alerts meanwhile notify nobody', async () => {
    const w = await world('edge-7');
    const offlineRule = await w.rule('Host down', { type: 'host_offline', for: '10s' });
    const diedRule = await w.rule('Died', { type: 'container_event', events: ['died'] });
    await w.agent.close();
    const [offline] = await eventually(() => w.alerts({ ruleId: offlineRule, state: 'firing' }), (items) => items.length === 1, 30_000);
    expect(offline.subject).toMatchObject({ hostId: w.host.hostId, name: 'edge-7' });
    expect(offline.context.affectedContainers.map((c: any) => c.name).sort()).toEqual(['svc-0', 'svc-1', 'svc-2']);
    expect(offline.message).toMatch(/3 container\(s\) affected: svc-0, svc-1, svc-2/);
    await receiver.waitFor((d) => d.json?.alert?.id === offline.id && d.json.event === 'firing');

    // A late frame (over HTTP, which is not presence) reports a crash while the host is still offline.
    await w.ingest({ type: 'container_events', data: [{ containerId: w.dockers[0], ts: Date.now(), action: 'die', exitCode: 1 }] }).expect(200);
    const [muted] = await eventually(() => w.alerts({ ruleId: diedRule }), (items) => items.length === 1);
    expect(muted).toMatchObject({ silenced: true, mutedBy: 'host_offline', notifications: [] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.filter((d) => d.json?.alert?.id === muted.id)).toEqual([]);

    // Back online: the host's alert resolves.
    const again = await AgentClient.connect(t.baseUrl, w.host.agentToken);
    await eventually(() => w.alerts({ ruleId: offlineRule }), (items) => items[0]?.state === 'resolved', 15_000);
    await again.close();
  }, 60_000);

  it('an alert under an active silence opens and resolves silenced, and notifies nobody', async () => {
    const w = await world();
    const diedRule = await w.rule('Died', { type: 'container_event', events: ['died'] });
    const operator = await addUser(t, w.tenant, 'operator');
    const now = Date.now();
    await as(operator)
      .post('/api/silences', { containerId: w.ids[1], startsAt: new Date(now - 1000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), comment: 'upgrade' })
      .expect(201);
    await w.agent.send({ type: 'container_events', data: [{ containerId: w.dockers[1], ts: now, action: 'die', exitCode: 2 }, { containerId: w.dockers[2], ts: now, action: 'die', exitCode: 2 }] });
    const items = await eventually(() => w.alerts({ ruleId: diedRule }), (list) => list.length === 2);
    const silenced = items.find((a) => a.subject.containerId === w.ids[1]);
    const loud = items.find((a) => a.subject.containerId === w.ids[2]);
    expect(silenced).toMatchObject({ silenced: true, mutedBy: 'silence', notifications: [] });
    expect(loud).toMatchObject({ silenced: false });
    await receiver.waitFor((d) => d.json?.alert?.id === loud.id);
    await w.agent.send({ type: 'container_events', data: [{ containerId: w.dockers[1], ts: now + 1, action: 'start' }] });
    await eventually(() => w.alerts({ ruleId: diedRule, containerId: w.ids[1] }), (list) => list[0]?.state === 'resolved');
    expect(receiver.received.filter((d) => d.json?.alert?.id === silenced.id)).toEqual([]);
    await w.agent.close();
  });

  it('alerts and the `alerts` topic belong to one organization; every role reads them', async () => {
    const a = await world();
    const b = await world();
    const diedRule = await a.rule('Died', { type: 'container_event', events: ['died'] });
    const viewer = await addUser(t, a.tenant, 'viewer');
    const watching = await LiveClient.connect(t, viewer);
    const outsider = await LiveClient.connect(t, b.tenant.token);
    expect((await watching.subscribe('alerts')).errors).toEqual([]);
    expect((await outsider.subscribe('alerts')).errors).toEqual([]);

    await a.agent.send({ type: 'container_events', data: [{ containerId: a.dockers[0], ts: Date.now(), action: 'die', exitCode: 9 }] });
    const { frame } = await watching.next((f) => f.type === 'alert' && f.data?.event === 'firing');
    expect(frame).toMatchObject({ topic: 'alerts', data: { type: 'alert', event: 'firing', alert: { ruleId: diedRule, subject: { containerId: a.ids[0] } } } });
    expect(frame.data.url).toMatch(new RegExp(`/alerts/${frame.data.alert.id}$`));
    const alertId = frame.data.alert.id;

    await as(viewer).get(`/api/alerts/${alertId}`).expect(200);
    await as(b.tenant.token).get(`/api/alerts/${alertId}`).expect(404);
    expect((await as(b.tenant.token).get('/api/alerts').expect(200)).body.items).toEqual([]);
    await as(b.tenant.token).get(`/api/alert-rules/${diedRule}`).expect(404);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outsider.frames.filter((f) => f.type === 'alert')).toEqual([]);
    await Promise.all([watching.close(), outsider.close(), a.agent.close(), b.agent.close()]);
  });

  it('pages alerts newest first with a cursor and checks its filters', async () => {
    const w = await world();
    const diedRule = await w.rule('Died', { type: 'container_event', events: ['died'] });
    const now = Date.now();
    for (const [i, docker] of w.dockers.entries()) {
      await w.agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now + i, action: 'die', exitCode: 1 }] });
      await eventually(() => w.alerts({ ruleId: diedRule }), (list) => list.length === i + 1);
    }
    const first = (await w.api.get('/api/alerts').query({ limit: 2 }).expect(200)).body;
    expect(first.items.map((a: any) => a.subject.name)).toEqual(['svc-2', 'svc-1']);
    const second = (await w.api.get('/api/alerts').query({ limit: 2, cursor: first.nextCursor }).expect(200)).body;
    expect(second).toMatchObject({ items: [expect.objectContaining({ subject: expect.objectContaining({ name: 'svc-0' }) })], nextCursor: null });
    for (const [query, field] of [
      [{ state: 'open' }, 'state'],
      [{ hostId: 'nope' }, 'hostId'],
      [{ limit: '0' }, 'limit'],
      [{ cursor: '!!' }, 'cursor'],
      [{ from: 'yesterday' }, 'from'],
    ] as const) {
      const res = await w.api.get('/api/alerts').query(query).expect(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
    }
    await w.api.get('/api/alerts/not-a-uuid').expect(404);
    await w.agent.close();
  });
});
