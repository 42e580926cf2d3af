import { createHash } from 'node:crypto';
import { partitionName } from '../src/database/partition-manager.js';
import { AgentClient } from './support/agent-client.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId, logLine } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Item {
  ts: string;
  stream: string;
  line: string;
  truncated: boolean;
}

/** A whole-second ISO stamp `agoMs` before now, without its `.000Z`. */
const secondsAgo = (agoMs: number) => new Date(Math.floor((Date.now() - agoMs) / 1000) * 1000).toISOString().slice(0, 19);
/** The API's sort order: time to the nanosecond, then stream, then md5 of the line (all descending). */
const sortKey = (item: Item) => `${item.ts} ${item.stream} ${createHash('md5').update(item.line).digest('hex')}`;
const newestFirst = (items: Item[]) => [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));

describe('GET /api/containers/:containerId/logs', () => {
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

  /** Sends log lines `[ts, line, stream?]` for a Docker id (acked = committed). */
  async function ingest(docker: string, lines: [string | number, string, string?][]): Promise<void> {
    for (let i = 0; i < lines.length; i += 1000) {
      const data = lines.slice(i, i + 1000).map(([ts, line, stream]) => logLine(docker, ts, line, stream));
      expect(await agent.send({ type: 'logs', data })).toEqual({ type: 'ack', seq: expect.any(Number) });
    }
  }
  /** A new container with these lines; returns its API id. */
  async function containerWith(lines: [string | number, string, string?][]): Promise<string> {
    const docker = dockerId();
    await ingest(docker, lines);
    const [{ id }] = await t.sql.query<{ id: string }>('SELECT id FROM containers WHERE host_id = $1 AND docker_id = $2', [host.hostId, docker]);
    return id;
  }
  const get = (containerId: string, query: Record<string, string | number> = {}, token = tenant.token) =>
    t.http().get(`/api/containers/${containerId}/logs`).query(query).auth(token, { type: 'bearer' });
  const lines = async (containerId: string, query: Record<string, string | number>) => {
    const res = await get(containerId, query).expect(200);
    return res.body.items.map((item: Item) => item.line);
  };

  it('pages through lines sharing timestamps: every line exactly once, newest first, undisturbed by new lines', async () => {
    const base = secondsAgo(10 * MINUTE);
    const later = secondsAgo(9 * MINUTE);
    const stamps = [`${base}.123456000Z`, `${base}.123456000Z`, `${base}.123456001Z`, `${base}.123456999Z`, `${base}.123457000Z`, `${later}.000000000Z`];
    const expected = newestFirst(
      Array.from({ length: 250 }, (_, i) => ({ ts: stamps[i % 6], stream: i % 5 < 2 ? 'stderr' : 'stdout', line: `request ${i} done`, truncated: false })),
    );
    const docker = dockerId();
    // Sent in an order unrelated to the answer's.
    await ingest(docker, [...expected].reverse().map((item) => [item.ts, item.line, item.stream]));
    const [{ id }] = await t.sql.query<{ id: string }>('SELECT id FROM containers WHERE docker_id = $1', [docker]);

    const first = await get(id, { limit: 100 }).expect(200);
    expect(first.body.items).toHaveLength(100);
    expect(typeof first.body.nextCursor).toBe('string');
    // A line arriving between pages is newer than the cursor: it neither shifts nor repeats anything.
    await ingest(docker, [[new Date().toISOString(), 'arrived between pages']]);
    const second = await get(id, { limit: 100, cursor: first.body.nextCursor }).expect(200);
    const third = await get(id, { limit: 100, cursor: second.body.nextCursor }).expect(200);
    expect(third.body.items).toHaveLength(50);
    expect(third.body.nextCursor).toBeNull();
    expect([...first.body.items, ...second.body.items, ...third.body.items]).toEqual(expected);

    // A fresh first page sees the new line on top; the same cursor still pages the same way.
    expect((await lines(id, { limit: 1 }))).toEqual(['arrived between pages']);
    expect((await get(id, { limit: 100, cursor: first.body.nextCursor }).expect(200)).body).toEqual(second.body);
  });

  it('finds a case-insensitive substring in which %, _ and \\ are literal characters', async () => {
    const texts = ['ERROR: Deadlock detected', 'deadlock again', 'Disk 100% full', 'Disk 1000 full', 'user_id=5', 'userXid=5', 'path C:\\temp', 'path C:temp', 'nothing'];
    const id = await containerWith(texts.map((line, i) => [`${secondsAgo(30 * MINUTE - i * 1000)}.000000000Z`, line]));
    expect(await lines(id, { q: 'DEADLOCK' })).toEqual(['deadlock again', 'ERROR: Deadlock detected']);
    expect(await lines(id, { q: '100%' })).toEqual(['Disk 100% full']);
    expect(await lines(id, { q: '%' })).toEqual(['Disk 100% full']);
    expect(await lines(id, { q: 'k 100' })).toEqual(['Disk 1000 full', 'Disk 100% full']);
    expect(await lines(id, { q: 'user_id' })).toEqual(['user_id=5']);
    expect(await lines(id, { q: '_' })).toEqual(['user_id=5']);
    expect(await lines(id, { q: 'C:\\t' })).toEqual(['path C:\\temp']);
    expect(await lines(id, { q: 'no such text' })).toEqual([]);
  });

  it('gives the same answer whichever way it searches (walking the key, or the trigram index for rare terms)', async () => {
    // 3,000 lines, more than the first walk looks at: the rare marker, only in the oldest 1,000, is found through the index.
    const id = await containerWith([[`${secondsAgo(70 * MINUTE)}.000000000Z`, 'outside the default hour']]);
    await t.sql.query(
      `INSERT INTO container_logs (host_id, container_id, ts, nanos, stream, line, truncated, line_hash)
       SELECT $1, $2, $3::timestamptz + i * interval '1 millisecond', i % 1000, CASE WHEN i % 3 = 0 THEN 'stderr' ELSE 'stdout' END, line, false, md5(line)::uuid
       FROM generate_series(1, 3000) AS i,
            LATERAL (SELECT CASE WHEN i < 1000 AND i % 300 = 7 THEN 'Rare Marker ' || i WHEN i % 10 = 0 THEN 'GET /tenth/' || i ELSE 'GET /items/' || i END AS line) l`,
      [host.hostId, id, new Date(Date.now() - 50 * MINUTE).toISOString()],
    );
    const all = Array.from({ length: 3000 }, (_, k) => 3000 - k);
    const text = (i: number) => (i < 1000 && i % 300 === 7 ? `Rare Marker ${i}` : i % 10 === 0 ? `GET /tenth/${i}` : `GET /items/${i}`);
    const readAll = async (query: Record<string, string | number>) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Item[]; nextCursor: string | null } = (await get(id, cursor ? { ...query, cursor } : query).expect(200)).body;
        seen.push(...page.items.map((item) => item.line));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await readAll({ q: 'rare marker', limit: 2 })).toEqual(['Rare Marker 907', 'Rare Marker 607', 'Rare Marker 307', 'Rare Marker 7']);
    expect(await readAll({ q: 'tenth', limit: 120 })).toEqual(all.filter((i) => text(i).startsWith('GET /tenth/')).map(text));
    expect(await readAll({ q: 'get /items/2', stream: 'stderr', limit: 500 })).toEqual(
      all.filter((i) => i % 3 === 0 && text(i).startsWith('GET /items/2')).map(text),
    );
    expect(await lines(id, { q: 'GET', limit: 5 })).toEqual(all.slice(0, 5).map(text));
  });

  it('filters by stream', async () => {
    const at = (s: number) => `${secondsAgo(20 * MINUTE - s * 1000)}.000000000Z`;
    const id = await containerWith([[at(0), 'out one', 'stdout'], [at(1), 'err one', 'stderr'], [at(2), 'out two', 'stdout'], [at(3), 'err two', 'stderr']]);
    expect(await lines(id, { stream: 'stderr' })).toEqual(['err two', 'err one']);
    expect(await lines(id, { stream: 'stdout', q: 'ONE' })).toEqual(['out one']);
  });

  it('keeps from inclusive and to exclusive, to the nanosecond', async () => {
    const t0 = Date.now() - 40 * MINUTE;
    const iso = (ms: number, fraction = '000000000') => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
    const id = await containerWith([
      [iso(t0), 'at from'],
      [iso(t0 - 1000, '999999999'), 'just before from'],
      [iso(t0 + 1000), 'inside'],
      [iso(t0 + 2000), 'at to'],
      [iso(t0 + 2000, '000000005'), 'just after to'],
    ]);
    const from = iso(t0);
    const to = iso(t0 + 2000);
    expect(await lines(id, { from, to })).toEqual(['inside', 'at from']);
    expect(await lines(id, { from: Date.parse(from), to: Date.parse(to) })).toEqual(['inside', 'at from']);
    expect(await lines(id, { from: Date.parse(from) })).toEqual(['just after to', 'at to', 'inside', 'at from']);
  });

  it('never returns lines older than RETENTION_LOGS, even while their partition still exists', async () => {
    const id = await containerWith([[new Date(Date.now() - 60 * MINUTE).toISOString(), 'inside retention']]);
    const old = Date.now() - 2 * HOUR - 10 * MINUTE;
    const day = Math.floor(old / DAY) * DAY;
    await t.sql.exec(
      `CREATE TABLE IF NOT EXISTS "${partitionName('container_logs', new Date(day))}" PARTITION OF container_logs FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY).toISOString()}')`,
    );
    await t.sql.query(
      `INSERT INTO container_logs (host_id, container_id, ts, nanos, stream, line, truncated, line_hash) VALUES ($1, $2, $3, 0, 'stdout', 'expired', false, md5('expired')::uuid)`,
      [host.hostId, id, new Date(old).toISOString()],
    );
    expect(await t.sql.query('SELECT line FROM container_logs WHERE container_id = $1 ORDER BY ts', [id])).toEqual([{ line: 'expired' }, { line: 'inside retention' }]);
    expect(await lines(id, { from: new Date(Date.now() - 3 * HOUR).toISOString() })).toEqual(['inside retention']);
    expect(await lines(id, { from: new Date(Date.now() - 3 * HOUR).toISOString(), q: 'expired' })).toEqual([]);
    expect(await lines(id, { from: old - MINUTE, to: old + MINUTE })).toEqual([]);
  });

  it('returns the agent’s timestamp to the nanosecond, in UTC', async () => {
    const base = secondsAgo(5 * MINUTE);
    const later = secondsAgo(4 * MINUTE);
    const epochMs = Date.parse(`${later}.250Z`);
    const id = await containerWith([[`${base}.123456789Z`, 'nanos'], [`${base}.5+00:00`, 'offset'], [epochMs, 'epoch ms']]);
    const res = await get(id).expect(200);
    expect(res.body).toEqual({
      items: [
        { ts: `${later}.250000000Z`, stream: 'stdout', line: 'epoch ms', truncated: false },
        { ts: `${base}.500000000Z`, stream: 'stdout', line: 'offset', truncated: false },
        { ts: `${base}.123456789Z`, stream: 'stdout', line: 'nanos', truncated: false },
      ],
      nextCursor: null,
    });
  });

  it('answers 400 for bad input, including a malformed cursor or one of another query', async () => {
    const id = await containerWith([1, 2, 3].map((s) => [`${secondsAgo(s * MINUTE)}.000000000Z`, `line ${s}`]));
    const other = await containerWith([[`${secondsAgo(MINUTE)}.000000000Z`, 'line']]);
    const { nextCursor } = (await get(id, { limit: 1, q: 'line' }).expect(200)).body;
    expect(nextCursor).toEqual(expect.any(String));
    await get(id, { limit: 1, q: 'line', cursor: nextCursor }).expect(200);

    const bad: [Record<string, string | number>, RegExp][] = [
      [{ cursor: 'not-a-cursor' }, /^invalid cursor/],
      [{ cursor: 'a+b/c' }, /^invalid cursor/],
      [{ cursor: Buffer.from('{"v":1}').toString('base64url') }, /^invalid cursor/],
      [{ cursor: 'x'.repeat(1000) }, /^invalid cursor/],
      [{ cursor: nextCursor }, /^invalid cursor: it was issued for a different query/],
      [{ cursor: nextCursor, q: 'LINE' }, /^invalid cursor: it was issued for a different query/],
      [{ cursor: nextCursor, q: 'line', stream: 'stdout' }, /^invalid cursor: it was issued for a different query/],
      [{ stream: 'stdin' }, /stream must be stdout or stderr/],
      [{ q: '' }, /q must not be empty/],
      [{ q: 'x'.repeat(201) }, /q must be at most 200 characters/],
      [{ limit: 0 }, /limit must be between 1 and 5000/],
      [{ limit: 5001 }, /limit must be between 1 and 5000/],
      [{ limit: 'ten' }, /limit must be an integer/],
      [{ from: 'yesterday' }, /from must be an ISO 8601 timestamp or epoch milliseconds/],
      [{ from: new Date().toISOString(), to: new Date(Date.now() - HOUR).toISOString() }, /from must be earlier than to/],
      [{ level: 'error' }, /property level should not exist/],
    ];
    for (const [query, message] of bad) {
      const res = await get(id, query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect([res.body.message].flat().join('; ')).toMatch(message);
    }
    // A cursor of one container is no use for another.
    expect((await get(other, { limit: 1, q: 'line', cursor: nextCursor }).expect(400)).body.message).toMatch(/^invalid cursor/);
  });

  it('is readable by a viewer and invisible to other organizations', async () => {
    const id = await containerWith([[`${secondsAgo(MINUTE)}.000000000Z`, 'tenant line']]);
    const viewer = await addUser(t, tenant, 'viewer');
    expect((await get(id, {}, viewer).expect(200)).body.items.map((item: Item) => item.line)).toEqual(['tenant line']);
    const stranger = await signup(t);
    expect((await get(id, {}, stranger.token).expect(404)).body.message).toBe('Container not found');
    await get('00000000-0000-4000-8000-000000000000').expect(404);
    await get('not-an-id').expect(404);
    await t.http().get(`/api/containers/${id}/logs`).expect(401);
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const operation = doc.paths['/api/containers/{containerId}/logs'].get;
    expect(operation.summary).toBeTruthy();
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['containerId', 'from', 'to', 'q', 'stream', 'limit', 'cursor']));
    expect(doc.components.schemas.LogsPage.properties).toEqual(expect.objectContaining({ items: expect.any(Object), nextCursor: expect.any(Object) }));
  });
});
