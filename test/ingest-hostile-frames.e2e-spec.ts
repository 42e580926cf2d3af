import { randomUUID } from 'node:crypto';
import { AgentClient, type Answer } from './support/agent-client.js';
import { enrolledHost, signup, type Tenant } from './support/factories.js';
import { container, dockerId, hostMetric, logLine, metric, processInfo } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 10, findings 1 and 3: a frame the database would refuse is refused at the door with
 * `invalid_message` naming the field, and no odd frame goes unanswered, answers `internal`, or
 * holds up anyone else's frames.
 */
/** The answer, or 'unanswered' after `ms`; the timer never outlives the answer. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'unanswered'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unanswered'>((resolve) => (timer = setTimeout(() => resolve('unanswered'), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
const ack = expect.objectContaining({ type: 'ack' });
const invalid = (path: string) =>
  expect.objectContaining({ type: 'error', code: 'invalid_message', details: expect.arrayContaining([expect.objectContaining({ path })]) });
/** An item that is not an object is named by its index. */
const badItem = (index = 0) =>
  expect.objectContaining({
    type: 'error',
    code: 'invalid_message',
    details: expect.arrayContaining([expect.objectContaining({ path: `data[${index}]`, message: expect.stringContaining(`data[${index}]`) })]),
  });

/** Sends raw JSON text (for what JSON.stringify cannot write: 1e309, `__proto__` keys, deep nesting) and waits for the answer to `seq`. */
let rawSeq = 1_000_000;
function sendText(agent: AgentClient, text: (seq: number) => string): Promise<Answer> {
  const seq = rawSeq++;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const frame = JSON.parse(data.toString());
      if ((frame.type === 'ack' || frame.type === 'error') && frame.seq === seq) {
        agent.socket.off('message', onMessage);
        resolve(frame);
      }
    };
    agent.socket.on('message', onMessage);
    agent.socket.send(text(seq));
  });
}

const nested = (depth: number, open: string, close: string, core = '1') => open.repeat(depth) + core + close.repeat(depth);

describe('hostile frames are refused at the door', () => {
  let t: TestApp;
  let tenant: Tenant;
  let host: { hostId: string; agentToken: string };
  let agent: AgentClient;
  const id = dockerId();
  const now = () => Date.now() - 1_000;
  const validFrames = (): Record<string, Record<string, unknown>> => ({
    metrics: { type: 'metrics', data: [metric(id, now())] },
    host_metrics: { type: 'host_metrics', data: [hostMetric(now())] },
    logs: { type: 'logs', data: [logLine(id, now(), 'hello')] },
    processes: { type: 'processes', ts: now(), data: [processInfo(1)] },
    containers: { type: 'containers', data: [container(id)] },
  });
  const kinds = Object.keys(validFrames());

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '200', AGENT_RATE_LIMIT: '0' });
    tenant = await signup(t);
    host = await enrolledHost(t, tenant);
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    expect(await agent.send(validFrames().containers)).toEqual(ack);
  });
  afterAll(async () => {
    await agent.close();
    await t.close();
  });
  // After every hostile frame the socket is still open and valid frames are still stored.
  afterEach(async () => {
    expect(agent.socket.readyState).toBe(agent.socket.OPEN);
    expect(await within(agent.send({ type: 'host_metrics', data: [hostMetric(Date.now() - Math.floor(Math.random() * 3_600_000))] }), 15_000)).toEqual(ack);
  });

  describe('numbers within their columns', () => {
    it("refuses pids past int4 naming the field, and another tenant's frame in the same flush window is acked and stored", async () => {
      const other = await signup(t);
      const otherHost = await enrolledHost(t, other);
      const otherAgent = await AgentClient.connect(t.baseUrl, otherHost.agentToken);
      try {
        const otherId = dockerId();
        const poisoned = agent.send({ type: 'metrics', data: [metric(id, now(), { pids: 2_147_483_648 })] });
        const innocent = otherAgent.send({ type: 'metrics', data: [metric(otherId, now())] });
        expect(await within(poisoned, 10_000)).toEqual(invalid('data[0].pids'));
        expect(await within(innocent, 10_000)).toEqual(ack);
        const stored = await t.sql.query('SELECT 1 FROM container_metrics WHERE host_id = $1', [otherHost.hostId]);
        expect(stored).toHaveLength(1);
      } finally {
        await otherAgent.close();
      }
    });

    it('accepts pids of exactly 2^31 - 1', async () => {
      expect(await within(agent.send({ type: 'metrics', data: [metric(id, now() - 7_000, { pids: 2_147_483_647 })] }), 10_000)).toEqual(ack);
    });

    it.each(['pid', 'ppid', 'threads'])('refuses processes %s of 2^31, accepts 2^31 - 1', async (field) => {
      const ts = Date.now() - Math.floor(Math.random() * 3_600_000);
      const over = agent.send({ type: 'processes', ts, data: [processInfo(10), processInfo(11, { [field]: 2 ** 31 })] });
      expect(await within(over, 10_000)).toEqual(invalid(`data[1].${field}`));
      const edge = agent.send({ type: 'processes', ts, data: [processInfo(12, { [field]: 2 ** 31 - 1 })] });
      expect(await within(edge, 10_000)).toEqual(ack);
    });

    it.each([
      ['metrics memoryUsed', 'metrics', 'data[0].memoryUsed', (seq: number) => `{"type":"metrics","seq":${seq},"data":[${JSON.stringify(metric(id, now())).replace('"memoryUsed":100000000', '"memoryUsed":9007199254740992')}]}`],
      ['metrics cpuPercent 1e309', 'metrics', 'data[0].cpuPercent', (seq: number) => `{"type":"metrics","seq":${seq},"data":[${JSON.stringify(metric(id, now())).replace('"cpuPercent":12.5', '"cpuPercent":1e309')}]}`],
      ['host load1 1e309', 'host_metrics', 'data[0].load1', (seq: number) => `{"type":"host_metrics","seq":${seq},"data":[${JSON.stringify(hostMetric(now())).replace('"load1":0.5', '"load1":1e309')}]}`],
      ['host load5 -1e309', 'host_metrics', 'data[0].load5', (seq: number) => `{"type":"host_metrics","seq":${seq},"data":[${JSON.stringify(hostMetric(now())).replace('"load5":0.4', '"load5":-1e309')}]}`],
      ['processes memoryRss 1e400', 'processes', 'data[0].memoryRss', (seq: number) => `{"type":"processes","seq":${seq},"ts":${now()},"data":[${JSON.stringify(processInfo(3)).replace('"memoryRss":10000000', '"memoryRss":1e400')}]}`],
      ['hello memoryTotal 2^53', 'hello', 'memoryTotal', (seq: number) => `{"type":"hello","seq":${seq},"agentVersion":"1","hostname":"h","memoryTotal":9007199254740992}`],
      ['hello cpus 2^31', 'hello', 'cpus', (seq: number) => `{"type":"hello","seq":${seq},"agentVersion":"1","hostname":"h","cpus":2147483648}`],
    ])('refuses %s (past what the column or a double holds)', async (_name, _kind, path, text) => {
      expect(await within(sendText(agent, text), 10_000)).toEqual(invalid(path));
    });
  });

  describe('clean text and bounded JSON in container objects', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['NUL in a label value', { labels: { app: 'a\u0000b' } }, 'data[0].labels'],
      ['NUL in a label key', { labels: { 'a\u0000b': 'x' } }, 'data[0].labels'],
      ['a lone surrogate in a label value', { labels: { app: 'x\ud800y' } }, 'data[0].labels'],
      ['a lone surrogate in a label key', { labels: { ['\udc00']: 'x' } }, 'data[0].labels'],
      ['a label value that is not a string', { labels: { app: { constructor: 'x' } } }, 'data[0].labels'],
      ['labels as an array', { labels: ['a'] }, 'data[0].labels'],
      ['more than 1,000 labels', { labels: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v'])) }, 'data[0].labels'],
      ['NUL in a port field', { ports: [{ privatePort: 80, type: 'tcp\u0000' }] }, 'data[0].ports'],
      ['a lone surrogate in a port field', { ports: [{ privatePort: 80, ip: '\ud800' }] }, 'data[0].ports'],
      ['a port that is not an object', { ports: [[80]] }, 'data[0].ports'],
      ['a port holding an object', { ports: [{ privatePort: { constructor: 1 } }] }, 'data[0].ports'],
      ['NUL in imageId', { imageId: 'sha256:\u0000' }, 'data[0].imageId'],
      ['a lone surrogate in imageId', { imageId: 'sha256:\udfff' }, 'data[0].imageId'],
    ];
    it.each(cases)('refuses %s', async (_name, overrides, path) => {
      expect(await within(agent.send({ type: 'containers', data: [container(id, overrides)] }), 10_000)).toEqual(invalid(path));
    });

    it.each([
      ['labels', (seq: number) => `{"type":"containers","seq":${seq},"data":[${JSON.stringify(container(id)).replace('"labels":{"app":"web"}', `"labels":${nested(10_000, '{"a":', '}', '"x"')}`)}]}`],
      ['ports', (seq: number) => `{"type":"containers","seq":${seq},"data":[${JSON.stringify(container(id)).replace(/"ports":\[[^\]]*\]/, `"ports":${nested(10_000, '[', ']')}`)}]}`],
    ])('refuses %s nested 10,000 deep', async (field, text) => {
      expect(await within(sendText(agent, text), 10_000)).toEqual(invalid(`data[0].${field}`));
    });

    it('cleans free text (names, commands, status, process fields, log lines) instead of refusing it', async () => {
      const other = dockerId();
      const dirty = 'a\u0000b\ud800c';
      const snapshot = [container(id), container(other, { name: dirty, command: dirty, status: dirty, state: 'running' })];
      expect(await within(agent.send({ type: 'containers', data: snapshot }), 10_000)).toEqual(ack);
      const [row] = await t.sql.query<{ name: string; command: string; status: string }>('SELECT name, command, status FROM containers WHERE docker_id = $1', [other]);
      expect(row).toEqual({ name: 'ab\ufffdc', command: 'ab\ufffdc', status: 'ab\ufffdc' });
      const ts = Date.now() - 2_000;
      expect(await within(agent.send({ type: 'processes', ts, data: [processInfo(5, { name: dirty, command: dirty, user: dirty, state: dirty })] }), 10_000)).toEqual(ack);
      expect(await within(agent.send({ type: 'logs', data: [logLine(id, ts, dirty)] }), 10_000)).toEqual(ack);
    });
  });

  describe('shapes checked before anything walks them', () => {
    const shapes: [string, unknown][] = [
      ['[[]]', [[]]],
      ['[1]', [1]],
      ['[null]', [null]],
      ['["x"]', ['x']],
      ['[true]', [true]],
    ];
    it.each(kinds.flatMap((kind) => shapes.map(([name, data]) => [kind, name, data] as const)))('%s with data: %s is invalid_message', async (kind, _name, data) => {
      const frame = { ...validFrames()[kind], data };
      expect(await within(agent.send(frame), 10_000)).toEqual(badItem());
    });

    it.each(kinds.flatMap((kind) => [[kind, 'an object'], [kind, 'null']] as const))('%s with data as %s is invalid_message', async (kind, what) => {
      const frame = { ...validFrames()[kind], data: what === 'null' ? null : { 0: {} } };
      expect(await within(agent.send(frame), 10_000)).toEqual(invalid('data'));
    });

    it.each(kinds)('%s with data nested 3,000 deep is invalid_message', async (kind) => {
      const body = JSON.stringify({ ...validFrames()[kind], data: 'DATA' });
      const answer = await within(sendText(agent, (seq) => body.replace('"DATA"', nested(3_000, '[', ']')).replace(/^\{/, `{"seq":${seq},`)), 10_000);
      expect(answer).toEqual(badItem());
    });

    it.each(kinds)('%s with items nested as objects 3,000 deep is invalid_message', async (kind) => {
      const body = JSON.stringify({ ...validFrames()[kind], data: 'DATA' });
      const answer = await within(sendText(agent, (seq) => body.replace('"DATA"', `[${nested(3_000, '{"containerId":', '}')}]`).replace(/^\{/, `{"seq":${seq},`)), 10_000);
      expect(answer).toMatchObject({ type: 'error', code: 'invalid_message' });
    });
  });

  describe('prototype keys and objects in place of strings or numbers', () => {
    const constructorValue = '{"constructor":{"name":"Object","prototype":{"polluted":1}}}';
    const protoValue = '{"__proto__":{"polluted":1},"length":1}';
    const fieldsOf: Record<string, string[]> = {
      metrics: ['containerId', 'ts', 'cpuPercent', 'pids', 'memoryUsed'],
      host_metrics: ['ts', 'cpuPercent', 'load1', 'diskTotal'],
      logs: ['containerId', 'ts', 'stream', 'line'],
      processes: ['pid', 'name', 'cpuPercent', 'threads'],
      containers: ['dockerId', 'name', 'image', 'imageId', 'command', 'state', 'status', 'ports', 'labels', 'startedAt'],
    };
    const replaceField = (item: Record<string, unknown>, field: string, raw: string) => JSON.stringify({ ...item, [field]: 'REPLACE_ME' }).replace('"REPLACE_ME"', raw);
    const cases = Object.entries(fieldsOf).flatMap(([kind, fields]) => fields.flatMap((field) => [[kind, field, 'constructor', constructorValue] as const, [kind, field, '__proto__', protoValue] as const]));

    it.each(cases)('%s: %s as an object with a %s key is invalid_message', async (kind, field, _key, raw) => {
      const frame = validFrames()[kind];
      const item = (frame.data as Record<string, unknown>[])[0];
      const text = (seq: number) => JSON.stringify({ ...frame, seq, data: 'DATA' }).replace('"DATA"', `[${replaceField(item, field, raw)}]`);
      expect(await within(sendText(agent, text), 10_000)).toEqual(invalid(`data[0].${field}`));
      const polluted = ({} as Record<string, unknown>).polluted;
      expect(polluted).toBeUndefined();
    });

    it.each(kinds)('%s with an item carrying a __proto__ key and nothing else is invalid_message', async (kind) => {
      const text = (seq: number) => JSON.stringify({ ...validFrames()[kind], seq, data: 'DATA' }).replace('"DATA"', '[{"__proto__":{"containerId":"x"}}]');
      expect(await within(sendText(agent, text), 10_000)).toMatchObject({ type: 'error', code: 'invalid_message' });
    });

    it.each([
      ['hello agentVersion', (seq: number) => `{"type":"hello","seq":${seq},"agentVersion":${constructorValue},"hostname":"h"}`, 'agentVersion'],
      ['hello os', (seq: number) => `{"type":"hello","seq":${seq},"agentVersion":"1","hostname":"h","os":${protoValue}}`, 'os'],
      ['hello cpus', (seq: number) => `{"type":"hello","seq":${seq},"agentVersion":"1","hostname":"h","cpus":${constructorValue}}`, 'cpus'],
      ['command_result message', (seq: number) => `{"type":"command_result","seq":${seq},"commandId":"${randomUUID()}","status":"failed","message":${constructorValue}}`, 'message'],
      ['command_result commandId', (seq: number) => `{"type":"command_result","seq":${seq},"commandId":${protoValue},"status":"failed"}`, 'commandId'],
      ['processes ts', (seq: number) => `{"type":"processes","seq":${seq},"ts":${constructorValue},"data":[]}`, 'ts'],
    ])('%s as an object is invalid_message', async (_name, text, path) => {
      expect(await within(sendText(agent, text), 10_000)).toEqual(invalid(path));
    });

    it('a frame whose own __proto__ key carries data is refused, and nothing is polluted', async () => {
      const text = (seq: number) => `{"type":"metrics","seq":${seq},"__proto__":{"data":[${JSON.stringify(metric(id, now()))}]}}`;
      expect(await within(sendText(agent, text), 10_000)).toEqual(invalid('data'));
    });
  });

  describe('null in optional fields is taken as absent', () => {
    it('hello with every optional field null is acked and keeps what was known', async () => {
      expect(await agent.send({ type: 'hello', agentVersion: '3.0.0', hostname: 'known', os: 'Debian 12', kernel: '6.1', dockerVersion: '27', cpus: 4, memoryTotal: 1024 })).toEqual(ack);
      expect(await within(agent.send({ type: 'hello', agentVersion: '3.0.1', hostname: 'known', os: null, kernel: null, dockerVersion: null, cpus: null, memoryTotal: null }), 10_000)).toEqual(ack);
      const view = (await t.http().get(`/api/hosts/${host.hostId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
      expect(view).toMatchObject({ agentVersion: '3.0.1', os: 'Debian 12', cpus: 4 });
    });

    it('containers with every optional field null is acked and stored as absent', async () => {
      const other = dockerId();
      const nulls = { imageId: null, command: null, status: null, ports: null, labels: null, startedAt: null };
      expect(await within(agent.send({ type: 'containers', data: [container(id), container(other, nulls)] }), 10_000)).toEqual(ack);
      const [row] = await t.sql.query('SELECT image_id, command, status, ports, labels, started_at FROM containers WHERE docker_id = $1', [other]);
      expect(row).toEqual({ image_id: null, command: null, status: null, ports: null, labels: null, started_at: null });
    });

    it('command_result with message null is acked', async () => {
      const [{ id: containerId }] = await t.sql.query<{ id: string }>('SELECT id FROM containers WHERE docker_id = $1', [id]);
      const { commandId } = (await t.http().post(`/api/containers/${containerId}/actions`).auth(tenant.token, { type: 'bearer' }).send({ action: 'restart' }).expect(202)).body;
      expect(await within(agent.send({ type: 'command_result', commandId, status: 'succeeded', message: null }), 10_000)).toEqual(ack);
      const view = (await t.http().get(`/api/commands/${commandId}`).auth(tenant.token, { type: 'bearer' }).expect(200)).body;
      expect(view).toMatchObject({ status: 'succeeded', message: null });
    });

    it('null in a required field is invalid_message naming it', async () => {
      expect(await within(agent.send({ type: 'metrics', data: [metric(id, now(), { pids: null })] }), 10_000)).toEqual(invalid('data[0].pids'));
      expect(await within(agent.send({ type: 'hello', agentVersion: null, hostname: 'h' }), 10_000)).toEqual(invalid('agentVersion'));
    });
  });

  describe('over POST /api/agent/ingest', () => {
    const post = (text: string) =>
      t.http().post('/api/agent/ingest').auth(host.agentToken, { type: 'bearer' }).set('content-type', 'application/json').send(text);

    it.each([
      ['pids past int4', JSON.stringify({ type: 'metrics', seq: 1, data: [metric(id, Date.now(), { pids: 2 ** 31 })] }), 'data[0].pids'],
      ['1e309', `{"type":"host_metrics","seq":2,"data":[${JSON.stringify(hostMetric(Date.now())).replace('"load1":0.5', '"load1":1e309')}]}`, 'data[0].load1'],
      ['data nested 3,000 deep', `{"type":"logs","seq":3,"data":${nested(3_000, '[', ']')}}`, 'data[0]'],
      ['a constructor object for a string', `{"type":"hello","seq":4,"agentVersion":{"constructor":{"name":"x"}},"hostname":"h"}`, 'agentVersion'],
      ['a lone surrogate in a label', JSON.stringify({ type: 'containers', seq: 5, data: [container(id, { labels: { a: '\ud800' } })] }), 'data[0].labels'],
    ])('%s: 400 invalid_message naming the field', async (_name, text, path) => {
      const res = await post(text);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(invalid(path));
    });
  });
});
