import { AgentClient } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Log ordinals (`n`): engines that stamp logs to the second (Podman) give many lines one `ts`;
 * with `n` every one of them is kept, in the order written, and replays still store nothing twice.
 */
describe('log lines with ordinals (n)', () => {
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;
  const ack = { type: 'ack', seq: expect.any(Number) };

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    tenant = await signup(t);
    host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });

  /** Podman-like: `seconds` whole seconds, `tick` three times and a numbered line per second on stdout, a warning on stderr. */
  function written(docker: string, seconds: number) {
    const start = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    const lines: { containerId: string; ts: string; stream: string; line: string; n: number }[] = [];
    for (let s = 0; s < seconds; s++) {
      const ts = new Date(start + s * 1000).toISOString().replace('.000Z', 'Z');
      const stdout = ['tick', 'tick', `line ${s}`, 'tick'];
      stdout.forEach((line, n) => lines.push({ containerId: docker, ts, stream: 'stdout', line, n }));
      lines.push({ containerId: docker, ts, stream: 'stderr', line: 'tick', n: 0 });
    }
    return lines;
  }
  const containerId = async (docker: string) => (await t.sql.query<{ id: string }>('SELECT id FROM containers WHERE docker_id = $1', [docker]))[0].id;
  const count = async (id: string) => (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM container_logs WHERE container_id = $1', [id]))[0].n;
  /** Every line through the API, following cursors with a small page, oldest first. */
  async function readBack(id: string, stream: string, limit: number): Promise<string[]> {
    const lines: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { line: string; stream: string }[]; nextCursor: string | null } = (
        await t.http().get(`/api/containers/${id}/logs`).query({ stream, limit, ...(cursor ? { cursor } : {}) }).auth(tenant.token, { type: 'bearer' }).expect(200)
      ).body;
      lines.push(...page.items.map((item) => item.line));
      cursor = page.nextCursor;
    } while (cursor);
    return lines.reverse();
  }

  it('keeps identical lines of one timestamp, reads them back in the order written, and stores a replay once', async () => {
    const docker = dockerId();
    const data = written(docker, 20);
    // Sent shuffled: the order comes from n, not from arrival.
    const shuffled = [...data].sort((a, b) => (a.line + a.n).localeCompare(b.line + b.n));
    expect(await agent.send({ type: 'logs', data: shuffled })).toEqual(ack);
    expect(await agent.send({ type: 'logs', data: shuffled.slice(0, 50) })).toEqual(ack);
    const id = await containerId(docker);
    expect(await count(id)).toBe(data.length);
    const stdout = data.filter((l) => l.stream === 'stdout').map((l) => l.line);
    for (const limit of [3, 1000]) {
      expect(await readBack(id, 'stdout', limit)).toEqual(stdout);
      expect(await readBack(id, 'stderr', limit)).toEqual(Array(20).fill('tick'));
    }
  });

  it('identifies a line with n by (container, ts, stream, n): a different text at the same place is a replay', async () => {
    const docker = dockerId();
    const ts = new Date(Date.now() - 60_000).toISOString();
    expect(await agent.send({ type: 'logs', data: [{ containerId: docker, ts, stream: 'stdout', line: 'first', n: 0 }] })).toEqual(ack);
    expect(await agent.send({ type: 'logs', data: [{ containerId: docker, ts, stream: 'stdout', line: 'other', n: 0 }, { containerId: docker, ts, stream: 'stdout', line: 'first', n: 1 }] })).toEqual(ack);
    const id = await containerId(docker);
    expect(await readBack(id, 'stdout', 10)).toEqual(['first', 'first']);
  });

  it('without n keeps the old identity: identical lines of one timestamp are one line', async () => {
    const docker = dockerId();
    const ts = new Date(Date.now() - 60_000).toISOString();
    const tick = { containerId: docker, ts, stream: 'stdout', line: 'tick' };
    expect(await agent.send({ type: 'logs', data: [tick, tick, { ...tick, line: 'tock' }] })).toEqual(ack);
    expect(await count(await containerId(docker))).toBe(2);
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['past int4', 2 ** 31],
    ['a string', '1'],
  ])('refuses an n that is %s, naming the field', async (_, n) => {
    const answer = await agent.send({ type: 'logs', data: [{ containerId: dockerId(), ts: new Date().toISOString(), stream: 'stdout', line: 'x', n }] });
    expect(answer).toMatchObject({ type: 'error', code: 'invalid_message' });
    expect([...new Set((answer as { details: { path: string }[] }).details.map((d) => d.path))]).toEqual(['data[0].n']);
  });
});
