import { partitionName } from '../src/database/partition-manager.js';
import { AgentClient } from './support/agent-client.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { processInfo } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

describe('GET /api/hosts/:hostId/processes', () => {
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  // Three snapshots ten minutes apart, the last ten minutes ago.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const [t1, t2, t3] = [now - 30 * MINUTE, now - 20 * MINUTE, now - 10 * MINUTE];
  const expired = now - 2 * HOUR - 10 * MINUTE;

  const get = (hostId: string, query: Record<string, string | number> = {}, token = tenant.token) =>
    t.http().get(`/api/hosts/${hostId}/processes`).query(query).auth(token, { type: 'bearer' });
  const snapshotAt = async (hostId: string, query: Record<string, string | number>) => (await get(hostId, query).expect(200)).body.ts;
  const history = async (query: Record<string, string | number>) =>
    (await get(host.hostId, query).expect(200)).body.samples.map((sample: { ts: string }) => sample.ts);

  /** A snapshot older than RETENTION_PROCESSES, written straight into its (possibly new) partition. */
  async function insertExpired(hostId: string): Promise<void> {
    const day = Math.floor(expired / DAY) * DAY;
    await t.sql.exec(
      `CREATE TABLE IF NOT EXISTS "${partitionName('process_samples', new Date(day))}" PARTITION OF process_samples FOR VALUES FROM ('${iso(day)}') TO ('${iso(day + DAY)}')`,
    );
    await t.sql.query(
      `INSERT INTO process_samples (host_id, ts, pid, ppid, name, command, "user", cpu_percent, memory_rss, memory_percent, threads, state)
       VALUES ($1, $2, 42, 1, 'old', 'old', 'root', 1, 1, 1, 1, 'S')`,
      [hostId, iso(expired)],
    );
  }

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50', RETENTION_PROCESSES: '2h' });
    tenant = await signup(t);
    host = await enrolledHost(t, tenant);
    const agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    const ack = { type: 'ack', seq: expect.any(Number) };
    expect(await agent.send({ type: 'processes', ts: t1, data: [processInfo(42, { cpuPercent: 10 }), processInfo(1), processInfo(7)] })).toEqual(ack);
    expect(await agent.send({ type: 'processes', ts: iso(t2), data: [processInfo(1), processInfo(42, { cpuPercent: 20, state: 'R' })] })).toEqual(ack);
    expect(await agent.send({ type: 'processes', ts: t3, data: [processInfo(99, { memoryRss: 9_000_000_000 }), processInfo(1)] })).toEqual(ack);
    await agent.close();
    await insertExpired(host.hostId);
  });
  afterAll(() => t.close());

  it('answers the latest snapshot, every process by pid', async () => {
    expect((await get(host.hostId).expect(200)).body).toEqual({
      ts: iso(t3),
      processes: [
        { pid: 1, ppid: 1, name: 'proc-1', command: '/usr/bin/proc-1 --serve', user: 'root', cpuPercent: 1.5, memoryRss: 10_000_000, memoryPercent: 0.5, threads: 4, state: 'S' },
        { pid: 99, ppid: 1, name: 'proc-99', command: '/usr/bin/proc-99 --serve', user: 'root', cpuPercent: 1.5, memoryRss: 9_000_000_000, memoryPercent: 0.5, threads: 4, state: 'S' },
      ],
    });
  });

  it('answers the snapshot nearest `at`, before or after it, the earlier on a tie', async () => {
    expect(await snapshotAt(host.hostId, { at: iso(t1 + 4 * MINUTE) })).toBe(iso(t1));
    expect(await snapshotAt(host.hostId, { at: iso(t1 + 6 * MINUTE) })).toBe(iso(t2));
    expect(await snapshotAt(host.hostId, { at: iso(t1 + 5 * MINUTE) })).toBe(iso(t1));
    expect(await snapshotAt(host.hostId, { at: t2 - 1 })).toBe(iso(t2));
    expect(await snapshotAt(host.hostId, { at: iso(now + HOUR) })).toBe(iso(t3));
    // The expired snapshot is nearer, but past the retention: the oldest one inside it answers.
    expect(await snapshotAt(host.hostId, { at: iso(expired) })).toBe(iso(t1));
    const snapshot = (await get(host.hostId, { at: iso(t1) }).expect(200)).body;
    expect(snapshot.processes.map((p: { pid: number; cpuPercent: number }) => [p.pid, p.cpuPercent])).toEqual([[1, 1.5], [7, 1.5], [42, 10]]);
  });

  it('answers the history of one pid, newest first, within from/to and limit', async () => {
    const samples = (await get(host.hostId, { pid: 42 }).expect(200)).body;
    expect(samples).toEqual({
      pid: 42,
      samples: [
        { ts: iso(t2), ppid: 1, name: 'proc-42', command: '/usr/bin/proc-42 --serve', user: 'root', cpuPercent: 20, memoryRss: 10_000_000, memoryPercent: 0.5, threads: 4, state: 'R' },
        { ts: iso(t1), ppid: 1, name: 'proc-42', command: '/usr/bin/proc-42 --serve', user: 'root', cpuPercent: 10, memoryRss: 10_000_000, memoryPercent: 0.5, threads: 4, state: 'S' },
      ],
    });
    expect(await history({ pid: 42, limit: 1 })).toEqual([iso(t2)]);
    expect(await history({ pid: 42, from: iso(t1), to: iso(t2) })).toEqual([iso(t1)]);
    expect(await history({ pid: 42, from: t1 + 1 })).toEqual([iso(t2)]);
    expect(await history({ pid: 1 })).toEqual([iso(t3), iso(t2), iso(t1)]);
    // The default range is the last hour; a wider one still stops at the retention edge.
    expect(await history({ pid: 42, from: iso(now - 3 * HOUR) })).toEqual([iso(t2), iso(t1)]);
    expect(await history({ pid: 42, from: iso(expired - MINUTE), to: iso(expired + MINUTE) })).toEqual([]);
    expect((await get(host.hostId, { pid: 31337 }).expect(200)).body).toEqual({ pid: 31337, samples: [] });
  });

  it('answers an empty snapshot for a host with none inside the retention', async () => {
    const quiet = await enrolledHost(t, tenant, 'quiet');
    expect((await get(quiet.hostId).expect(200)).body).toEqual({ ts: null, processes: [] });
    await insertExpired(quiet.hostId);
    expect((await get(quiet.hostId).expect(200)).body).toEqual({ ts: null, processes: [] });
    expect((await get(quiet.hostId, { at: iso(expired) }).expect(200)).body).toEqual({ ts: null, processes: [] });
    expect((await get(quiet.hostId, { pid: 42, from: iso(now - 3 * HOUR) }).expect(200)).body).toEqual({ pid: 42, samples: [] });
  });

  it('answers 400 for bad input, explaining the two modes', async () => {
    const bad: [Record<string, string | number>, RegExp][] = [
      [{ at: iso(t1), pid: 42 }, /at cannot be combined with pid.*snapshot mode.*history mode/],
      [{ at: iso(t1), from: iso(t1) }, /at cannot be combined with from/],
      [{ at: iso(t1), to: iso(t2), limit: 5 }, /at cannot be combined with to, limit/],
      [{ from: iso(t1) }, /from select the history of one process: pid is required/],
      [{ limit: 10 }, /limit select the history of one process: pid is required/],
      [{ at: 'noon' }, /at must be an ISO 8601 timestamp or epoch milliseconds/],
      [{ pid: 0 }, /pid must be a positive integer/],
      [{ pid: -1 }, /pid must be a positive integer/],
      [{ pid: 'abc' }, /pid must be a positive integer/],
      [{ pid: 1.5 }, /pid must be a positive integer/],
      [{ pid: '0x10' }, /pid must be a positive integer/],
      [{ pid: 99_999_999_999 }, /pid must be a positive integer/],
      [{ pid: 42, from: iso(t2), to: iso(t1) }, /from must be earlier than to/],
      [{ pid: 42, limit: 0 }, /limit must be between 1 and 5000/],
      [{ user: 'root' }, /property user should not exist/],
    ];
    for (const [query, message] of bad) {
      const res = await get(host.hostId, query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect([res.body.message].flat().join('; ')).toMatch(message);
    }
  });

  it('is readable by a viewer and invisible to other organizations', async () => {
    const viewer = await addUser(t, tenant, 'viewer');
    expect((await get(host.hostId, {}, viewer).expect(200)).body.ts).toBe(iso(t3));
    const stranger = await signup(t);
    expect((await get(host.hostId, {}, stranger.token).expect(404)).body.message).toBe('Host not found');
    expect((await get(host.hostId, { pid: 42 }, stranger.token).expect(404)).body.message).toBe('Host not found');
    await get('00000000-0000-4000-8000-000000000000').expect(404);
    await get('not-an-id').expect(404);
    await t.http().get(`/api/hosts/${host.hostId}/processes`).expect(401);
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const operation = doc.paths['/api/hosts/{hostId}/processes'].get;
    expect(operation.summary).toBeTruthy();
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['hostId', 'at', 'pid', 'from', 'to', 'limit']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ProcessSnapshotView', 'ProcessHistoryView', 'ProcessView']));
  });
});
