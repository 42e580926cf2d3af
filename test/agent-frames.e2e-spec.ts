import { randomUUID } from 'node:crypto';
import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId, hostMetric, logLine, metric, processInfo } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('agent frames: every kind acked and stored, every error code', () => {
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;
  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', RETENTION_LOGS: '2h' });
    tenant = await signup(t);
    host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  const rows = <T = Record<string, unknown>>(sql: string) => t.sql.query<T>(sql, [host.hostId]);
  const ack = expect.objectContaining({ type: 'ack' });

  it('hello: stores the host details', async () => {
    const answer = await agent.send({ type: 'hello', agentVersion: '2.1.0', hostname: 'node-7', os: 'Debian 12', kernel: '6.1.0', dockerVersion: '27.3.1', cpus: 8, memoryTotal: 33_554_432_000 });
    expect(answer).toEqual({ type: 'ack', seq: answer.seq });
    const view = async () => (await t.http().get(`/api/hosts/${host.hostId}`).auth(tenant.token, { type: 'bearer' })).body;
    expect(await view()).toMatchObject({ agentVersion: '2.1.0', hostname: 'node-7', os: 'Debian 12', kernel: '6.1.0', dockerVersion: '27.3.1', cpus: 8, memoryTotal: 33_554_432_000 });
    // Presence is written in 50 ms batches.
    for (let i = 0; i < 40 && (await view()).status !== 'online'; i++) await new Promise((r) => setTimeout(r, 25));
    expect((await view()).status).toBe('online');
  });

  it('containers: upserts the snapshot and marks missing containers removed', async () => {
    const [a, b] = [dockerId(), dockerId()];
    expect(await agent.send({ type: 'containers', data: [container(a), container(b)] })).toEqual(ack);
    expect(await agent.send({ type: 'containers', data: [container(a, { state: 'exited', status: 'Exited (0)' })] })).toEqual(ack);
    const list = (await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(tenant.token, { type: 'bearer' })).body;
    const byId = Object.fromEntries(list.map((c: { dockerId: string }) => [c.dockerId, c]));
    expect(byId[a]).toMatchObject({ state: 'exited', status: 'Exited (0)', removed: false, name: `app-${a.slice(0, 6)}`, labels: { app: 'web' } });
    expect(byId[b]).toMatchObject({ removed: true });
    const running = (await t.http().get(`/api/hosts/${host.hostId}/containers?state=running`).auth(tenant.token, { type: 'bearer' })).body;
    expect(running.map((c: { dockerId: string }) => c.dockerId)).not.toContain(b);
  });

  it('metrics: stored once; short and full ids name the same container; unknown containers are created', async () => {
    const id = dockerId();
    const ts = Date.now() - 5_000;
    expect(await agent.send({ type: 'metrics', data: [metric(id, ts), metric(id.slice(0, 12), ts + 1000, { cpuPercent: 250.5 })] })).toEqual(ack);
    const stored = await rows<{ docker_id: string; state: string; cpu_percent: number; memory_used: string }>(
      `SELECT c.docker_id, c.state, m.cpu_percent, m.memory_used::text FROM container_metrics m JOIN containers c ON c.id = m.container_id WHERE m.host_id = $1 AND c.short_id = '${id.slice(0, 12)}' ORDER BY m.ts`,
    );
    expect(stored).toEqual([
      { docker_id: id, state: 'unknown', cpu_percent: 12.5, memory_used: '100000000' },
      { docker_id: id, state: 'unknown', cpu_percent: 250.5, memory_used: '100000000' },
    ]);
  });

  it('replaying a frame stores nothing twice', async () => {
    const id = dockerId();
    const frame = { type: 'metrics', data: [metric(id, Date.now() - 3_000), metric(id, Date.now() - 2_000)] };
    const count = async () => (await rows<{ n: number }>(`SELECT count(*)::int AS n FROM container_metrics m JOIN containers c ON c.id = m.container_id WHERE c.docker_id = '${id}' AND c.host_id = $1`))[0].n;
    expect(await agent.send(frame)).toEqual(ack);
    expect(await count()).toBe(2);
    expect(await agent.send(frame)).toEqual(ack);
    expect(await agent.send({ ...frame, seq: 999 })).toEqual({ type: 'ack', seq: 999 });
    expect(await count()).toBe(2);
    // Stored rows beside new ones (on PostgreSQL the COPY is refused whole, and the insert keeps the new one).
    expect(await agent.send({ ...frame, data: [...frame.data, metric(id, Date.now() - 1_000)] })).toEqual(ack);
    expect(await count()).toBe(3);
  });

  it('host_metrics: stored', async () => {
    const ts = new Date(Date.now() - 1_000).toISOString();
    expect(await agent.send({ type: 'host_metrics', data: [hostMetric(ts)] })).toEqual(ack);
    expect(await rows(`SELECT load1, disk_total::text FROM host_metrics WHERE host_id = $1 AND ts = '${ts}'`)).toEqual([{ load1: 0.5, disk_total: '500000000000' }]);
  });

  it('logs: keep nanosecond order, truncate lines over 16 KiB, store identical replays once', async () => {
    const id = dockerId();
    const base = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
    const long = 'é'.repeat(10_000);
    const frame = {
      type: 'logs',
      data: [logLine(id, `${base}.000000001Z`, 'first'), logLine(id, `${base}.000000002Z`, 'second', 'stderr'), logLine(id, `${base}.5Z`, long), logLine(id, `${base}.6Z`, 'nul\u0000byte')],
    };
    expect(await agent.send(frame)).toEqual(ack);
    expect(await agent.send(frame)).toEqual(ack);
    const stored = await rows<{ nanos: number; stream: string; line: string; truncated: boolean }>(
      `SELECT l.nanos, l.stream, l.line, l.truncated FROM container_logs l JOIN containers c ON c.id = l.container_id WHERE l.host_id = $1 AND c.docker_id = '${id}' ORDER BY l.ts, l.nanos`,
    );
    expect(stored.map((r) => [r.nanos, r.stream, r.line.length, r.truncated])).toEqual([
      [1, 'stdout', 5, false],
      [2, 'stderr', 6, false],
      [0, 'stdout', 8192, true],
      [0, 'stdout', 7, false],
    ]);
    expect(Buffer.byteLength(stored[2].line)).toBe(16_384);
  });

  it('processes: one row per process of the snapshot', async () => {
    const ts = Date.now() - 2_000;
    expect(await agent.send({ type: 'processes', ts, data: [processInfo(1), processInfo(42, { name: 'postgres' })] })).toEqual(ack);
    expect(await rows(`SELECT pid, name FROM process_samples WHERE host_id = $1 AND ts = to_timestamp(${ts / 1000}) ORDER BY pid`)).toEqual([
      { pid: 1, name: 'proc-1' },
      { pid: 42, name: 'postgres' },
    ]);
  });

  it('command_result: closes the host\'s command; another host\'s command is unknown', async () => {
    const id = dockerId();
    await agent.send({ type: 'containers', data: [container(id)] });
    const [{ id: containerId }] = await rows<{ id: string }>(`SELECT id FROM containers WHERE host_id = $1 AND docker_id = '${id}'`);
    const [{ id: commandId }] = await t.sql.query<{ id: string }>(
      `INSERT INTO commands (organization_id, host_id, container_id, action, status, timeout_ms) VALUES ($1, $2, $3, 'restart', 'sent', 30000) RETURNING id`,
      [tenant.organizationId, host.hostId, containerId],
    );
    expect(await agent.send({ type: 'command_result', commandId, status: 'succeeded', message: 'restarted' })).toEqual(ack);
    expect(await agent.send({ type: 'command_result', commandId, status: 'failed', message: 'late repeat' })).toEqual(ack);
    expect(await t.sql.query(`SELECT status, message FROM commands WHERE id = $1`, [commandId])).toEqual([{ status: 'succeeded', message: 'restarted' }]);
    const other = await enrolledHost(t, tenant, 'other');
    const intruder = await AgentClient.connect(t.baseUrl, other.agentToken);
    expect(await intruder.send({ type: 'command_result', commandId, status: 'failed' })).toMatchObject({ type: 'error', code: 'invalid_message', details: [{ path: 'commandId' }] });
    await intruder.close();
  });

  it('invalid_json: seq null, socket stays open', async () => {
    expect(await agent.sendRaw('{"type": "metrics", "seq": 1,')).toEqual({ type: 'error', seq: null, code: 'invalid_json', message: 'Frame is not valid JSON' });
    expect(await agent.sendRaw('[1,2]')).toMatchObject({ seq: null, code: 'invalid_message' });
    expect(await agent.sendRaw('{"type": "metrics", "seq": -4, "data": []}')).toMatchObject({ seq: null, code: 'invalid_message', details: [{ path: 'seq' }] });
  });

  it('invalid_message: the whole frame is refused and details name item index and field', async () => {
    const id = dockerId();
    const answer = await agent.send({
      type: 'metrics',
      data: [metric(id, Date.now()), metric(id, 'last tuesday'), metric('NOT-HEX', Date.now(), { cpuPercent: -1, memoryUsed: 1.5 })],
    });
    expect(answer).toMatchObject({ type: 'error', code: 'invalid_message' });
    const details = (answer as { details: { path: string; message: string }[] }).details;
    expect(details.map((d) => d.path).sort()).toEqual(['data[1].ts', 'data[2].containerId', 'data[2].cpuPercent', 'data[2].memoryUsed']);
    expect(details.find((d) => d.path === 'data[1].ts')!.message).toBe('data[1].ts must be an ISO 8601 timestamp or epoch milliseconds');
    expect(await t.sql.query(`SELECT 1 FROM containers WHERE docker_id = $1`, [id])).toHaveLength(0);
    const missing = await agent.send({ type: 'host_metrics', data: [{ ts: Date.now() }] });
    expect((missing as { details: { path: string }[] }).details.map((d) => d.path)).toContain('data[0].cpuPercent');
    expect(await agent.send({ type: 'metrics', data: 'lots' })).toMatchObject({ code: 'invalid_message', details: expect.arrayContaining([expect.objectContaining({ path: 'data' })]) });
  });

  it('invalid_message for rows more than 10 minutes in the future; expired rows are acked but not stored', async () => {
    const id = dockerId();
    const future = await agent.send({ type: 'metrics', data: [metric(id, Date.now()), metric(id, Date.now() + 11 * 60_000)] });
    expect(future).toMatchObject({ code: 'invalid_message', details: [{ path: 'data[1].ts' }] });
    const old = Date.now() - 25 * 3600_000;
    expect(await agent.send({ type: 'metrics', data: [metric(id, old)] })).toEqual(ack);
    expect(await t.sql.query(`SELECT 1 FROM container_metrics m JOIN containers c ON c.id = m.container_id WHERE c.docker_id = $1`, [id])).toHaveLength(0);
  });

  it('unknown_type and too_many_items', async () => {
    expect(await agent.send({ type: 'gpu_metrics', data: [] })).toMatchObject({ type: 'error', code: 'unknown_type', message: expect.stringContaining('gpu_metrics') });
    const id = dockerId().slice(0, 12); // short ids keep 5,001 items under the 1 MiB frame limit
    const many = Array.from({ length: 5001 }, (_, i) => metric(id, Date.now() - i * 1000));
    expect(Buffer.byteLength(JSON.stringify(many))).toBeLessThan(1_048_576);
    expect(await agent.send({ type: 'metrics', data: many })).toMatchObject({ type: 'error', code: 'too_many_items' });
    expect(await agent.send({ type: 'metrics', data: many.slice(0, 5000) })).toEqual(ack);
  });

  it('answers every frame of a burst exactly once, in any order', async () => {
    const id = dockerId();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => agent.send({ type: 'metrics', seq: 10_000 + i, data: [metric(id, Date.now() - i * 1000)] })));
    expect(answers.map((a) => a.seq).sort()).toEqual(Array.from({ length: 50 }, (_, i) => 10_000 + i));
    expect(answers.every((a) => a.type === 'ack')).toBe(true);
  });

  it('over HTTP: POST /api/agent/ingest acks once durable and answers errors with their status', async () => {
    const bearer = { authorization: `Bearer ${host.agentToken}` };
    const ts = new Date(Date.now() - 7_000).toISOString();
    await t.http().post('/api/agent/ingest').set(bearer).send({ type: 'host_metrics', seq: 5, data: [hostMetric(ts)] }).expect(200, { type: 'ack', seq: 5 });
    expect(await rows(`SELECT 1 FROM host_metrics WHERE host_id = $1 AND ts = '${ts}'`)).toHaveLength(1);
    const bad = await t.http().post('/api/agent/ingest').set(bearer).send({ type: 'host_metrics', seq: 6, data: [{}] }).expect(400);
    expect(bad.body).toMatchObject({ type: 'error', seq: 6, code: 'invalid_message' });
    await t.http().post('/api/agent/ingest').set(bearer).send({ type: 'nope', seq: 7 }).expect(400);
    const many = Array.from({ length: 5001 }, () => hostMetric(ts));
    await t.http().post('/api/agent/ingest').set(bearer).send({ type: 'host_metrics', seq: 8, data: many }).expect(413);
    await t.http().post('/api/agent/ingest').auth(tenant.token, { type: 'bearer' }).send({ type: 'host_metrics', seq: 9, data: [] }).expect(401);
  });

  it('over HTTP: POST /api/agent/containers answers upserted, removed and total', async () => {
    const other = await enrolledHost(t, tenant, 'rest');
    const bearer = { authorization: `Bearer ${other.agentToken}` };
    const [a, b, c] = [dockerId(), dockerId(), dockerId()];
    await t.http().post('/api/agent/containers').set(bearer).send([container(a), container(b)]).expect(200, { upserted: 2, removed: 0, total: 2 });
    await t.http().post('/api/agent/containers').set(bearer).send([container(b), container(c)]).expect(200, { upserted: 2, removed: 1, total: 2 });
    const bad = await t.http().post('/api/agent/containers').set(bearer).send([container(a), { dockerId: 'x' }]).expect(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toContain('data[1].dockerId');
    await t.http().post('/api/agent/containers').set(bearer).send([container(a), container(a)]).expect(400);
    await t.http().post('/api/agent/containers').set(bearer).send({ not: 'an array' }).expect(400);
  });

  it('reads containers only within the caller\'s organization', async () => {
    const id = dockerId();
    await agent.send({ type: 'containers', data: [container(id)] });
    const [{ id: containerId }] = await rows<{ id: string }>(`SELECT id FROM containers WHERE host_id = $1 AND docker_id = '${id}'`);
    await t.http().get(`/api/containers/${containerId}`).auth(tenant.token, { type: 'bearer' }).expect(200);
    const stranger = await signup(t);
    await t.http().get(`/api/containers/${containerId}`).auth(stranger.token, { type: 'bearer' }).expect(404);
    await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(stranger.token, { type: 'bearer' }).expect(404);
    await t.http().get(`/api/containers/${randomUUID()}`).auth(tenant.token, { type: 'bearer' }).expect(404);
  });
});
