import { Retention } from '../src/config/retention.js';
import { partitionName } from '../src/database/partition-manager.js';
import { TIME_SERIES_TABLES } from '../src/database/time-series-tables.js';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const micros = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

describe('container_events: stored, read newest first, pushed live, kept for RETENTION_EVENTS', () => {
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;
  let agent: AgentClient;
  let docker: string;
  let containerId: string;
  const now = Math.floor(Date.now() / 1000) * 1000;

  const events = (id: string, query: Record<string, string | number> = {}, token = tenant.token) =>
    t.http().get(`/api/containers/${id}/events`).query(query).auth(token, { type: 'bearer' });

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', RETENTION_EVENTS: '2h' });
    [tenant, other] = [await signup(t), await signup(t)];
    const host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    docker = dockerId();
    expect(await agent.send({ type: 'containers', data: [container(docker)] })).toMatchObject({ type: 'ack' });
    const list = await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200);
    containerId = list.body[0].id;
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  it('stores a frame once, however often it is resent, and answers the events newest first', async () => {
    const frame = {
      type: 'container_events',
      data: [
        { containerId: docker, ts: now - 30 * MINUTE, action: 'start' },
        { containerId: docker.slice(0, 12), ts: new Date(now - 20 * MINUTE).toISOString(), action: 'die', exitCode: 137 },
        { containerId: docker, ts: now - 20 * MINUTE, action: 'oom' },
        { containerId: docker, ts: now - 10 * MINUTE, action: 'health_status', health: 'unhealthy' },
        { containerId: docker, ts: now - 3 * HOUR, action: 'create' },
      ],
    };
    expect(await agent.send(frame)).toMatchObject({ type: 'ack' });
    expect(await agent.send(frame)).toMatchObject({ type: 'ack' });
    const body = (await events(containerId).expect(200)).body;
    expect(body).toEqual([
      { ts: micros(now - 10 * MINUTE), action: 'health_status', exitCode: null, health: 'unhealthy' },
      { ts: micros(now - 20 * MINUTE), action: 'oom', exitCode: null, health: null },
      { ts: micros(now - 20 * MINUTE), action: 'die', exitCode: 137, health: null },
      { ts: micros(now - 30 * MINUTE), action: 'start', exitCode: null, health: null },
    ]);
    const stored = await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM container_events WHERE container_id = $1', [containerId]);
    expect(stored[0].n).toBe(4);
  });

  it('honours from, to and limit, and never reaches past the retention', async () => {
    expect((await events(containerId, { limit: 2 }).expect(200)).body.map((e: { action: string }) => e.action)).toEqual(['health_status', 'oom']);
    const window = { from: new Date(now - 25 * MINUTE).toISOString(), to: now - 15 * MINUTE };
    expect((await events(containerId, window).expect(200)).body.map((e: { action: string }) => e.action)).toEqual(['oom', 'die']);
    expect((await events(containerId, { from: now - 5 * HOUR }).expect(200)).body).toHaveLength(4);
    await events(containerId, { from: now, to: now - 1 }).expect(400);
    await events(containerId, { limit: 0 }).expect(400);
  });

  it('answers 404 for another organization`s container, an unknown one or a malformed id (as every container endpoint does)', async () => {
    await events(containerId, {}, other.token).expect(404);
    await events('00000000-0000-4000-8000-000000000000').expect(404);
    await events('not-a-uuid').expect(404);
  });

  it('refuses bad events with invalid_message naming the field, and stores nothing of that frame', async () => {
    const bad = await agent.send({
      type: 'container_events',
      data: [
        { containerId: docker, ts: now - MINUTE, action: 'start' },
        { containerId: docker, ts: now - MINUTE, action: 'explode' },
        { containerId: docker, ts: now - MINUTE, action: 'health_status', health: 'sick' },
        { containerId: docker, ts: now - MINUTE, action: 'die', exitCode: 2 ** 31 },
      ],
    });
    expect(bad).toMatchObject({ type: 'error', code: 'invalid_message' });
    const paths = (bad as { details: { path: string }[] }).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['data[1].action', 'data[2].health', 'data[3].exitCode']));
    expect((await events(containerId, { from: now - 2 * MINUTE }).expect(200)).body).toEqual([]);
  });

  it('pushes accepted events on container:<id>:events, and refuses that topic to another organization', async () => {
    const dashboard = await LiveClient.connect(t, tenant.token);
    const topic = `container:${containerId}:events`;
    expect(await dashboard.subscribe(topic)).toEqual({ topics: [topic], errors: [] });
    await agent.send({ type: 'container_events', data: [{ containerId: docker, ts: now - 1000, action: 'restart' }] });
    expect((await dashboard.next((f) => f.type === 'container_events')).frame).toEqual({
      type: 'container_events',
      topic,
      data: [{ containerId, ts: micros(now - 1000), action: 'restart', exitCode: null, health: null }],
    });
    const spy = await LiveClient.connect(t, other.token);
    expect((await spy.subscribe(topic)).errors).toEqual([expect.objectContaining({ code: 'forbidden_topic', topic })]);
    await Promise.all([dashboard.close(), spy.close()]);
  });

  it('is partitioned by day and kept for RETENTION_EVENTS, and a bad RETENTION_EVENTS stops start-up', async () => {
    expect(t.app.get(Retention).durations()).toMatchObject({ events: '2h' });
    expect(TIME_SERIES_TABLES.find((x) => x.table === 'container_events')?.retention).toBe('RETENTION_EVENTS');
    const partitions = await t.sql.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'container_events'`,
    );
    expect(partitions.map((p) => p.name)).toContain(partitionName('container_events', new Date(Math.floor(now / 86_400_000) * 86_400_000)));
    await expect(startTestApp({ RETENTION_EVENTS: 'a week' })).rejects.toThrow(/RETENTION_EVENTS must be a duration such as 90m, 24h or 30d/);
  });
});
