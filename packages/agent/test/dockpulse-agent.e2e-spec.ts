import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { AgentConnections } from '../../../src/agent/agent-connections.js';
import { signup, type Tenant } from '../../../test/support/factories.js';
import { startTestApp, tempDir, type TestApp } from '../../../test/support/test-app.js';
import { Agent } from '../src/agent.js';
import { cpuPercent, memoryUsed } from '../src/collectors/docker-stats.js';
import { LogDemuxer, parseLogLine } from '../src/collectors/log-demux.js';
import { parseConfig, type AgentConfig } from '../src/config.js';
import { Delivery } from '../src/delivery.js';
import { splitItems } from '../src/frames.js';
import type { Log } from '../src/log.js';
import { Spool } from '../src/spool.js';
import { captureLog, waitFor } from './support/agent-harness.js';
import { FakeDockerEngine } from './support/fake-docker-engine.js';

const dockerId = () => randomBytes(32).toString('hex');

/** A TCP pass-through to the server that can be cut: "the server is unreachable" on demand. */
class Gate {
  open = true;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<Gate> {
    let gate: Gate | undefined;
    const server = createServer((client) => {
      if (!gate!.open) return client.destroy();
      const upstream = connect(targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        gate!.sockets.add(socket);
        socket.on('close', () => gate!.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gate = new Gate(server, (server.address() as { port: number }).port);
    return gate;
  }

  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('dockpulse-agent against a real server and a fake Docker Engine', () => {
  let t: TestApp;
  let tenant: Tenant;
  let engine: FakeDockerEngine;
  let gate: Gate;
  const agents: Agent[] = [];
  const web = dockerId();
  const old = dockerId();
  const podlike = dockerId();
  // Ahead of now: the agent never reads lines from before its enrollment.
  const base = new Date(Date.now() + 60_000).toISOString().slice(0, 19);

  const auth = () => ({ authorization: `Bearer ${tenant.token}` });
  const createHost = async (name: string) => (await t.http().post('/api/hosts').set(auth()).send({ name }).expect(201)).body as { host: { id: string }; enrollmentToken: string };
  const config = (server: string, stateDir: string, extra: string[], overrides: Partial<AgentConfig> = {}): AgentConfig => ({
    ...(parseConfig(['--server', server, '--state-dir', stateDir, '--metrics-interval', '200ms', '--host-metrics-interval', '200ms', '--processes-interval', '500ms', '--logs-flush-interval', '200ms', ...extra], {}) as AgentConfig),
    reconnectMinMs: 100,
    reconnectMaxMs: 400,
    ...overrides,
  });
  const launch = async (agentConfig: AgentConfig, log: Log) => {
    const agent = new Agent(agentConfig, log);
    agents.push(agent);
    await agent.start();
    await waitFor('the agent to connect', () => agent.connected);
    return agent;
  };
  const count = async (table: string, hostId: string) => (await t.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE host_id = $1`, [hostId]))[0].n;

  // Agent A: a Docker host; inventory only on start and on events (the interval is a minute).
  let hostA: string;
  let agentA: Agent;
  const logA = captureLog('A');
  const stateA = tempDir('agent-a-');
  let configA: AgentConfig;

  beforeAll(async () => {
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    tenant = await signup(t);
    engine = await FakeDockerEngine.start(tempDir('docker-'));
    engine.add({
      id: web,
      name: 'web-1',
      image: 'nginx:1.27',
      state: 'running',
      status: 'Up 2 minutes',
      startedAt: new Date(Date.now() - 120_000).toISOString().replace('Z', '123456Z'),
      labels: { app: 'web' },
      stats: {
        cpu_stats: { cpu_usage: { total_usage: 400_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 4 },
        precpu_stats: { cpu_usage: { total_usage: 300_000_000 }, system_cpu_usage: 19_000_000_000, online_cpus: 4 },
        memory_stats: { usage: 300_000_000, limit: 2_000_000_000, stats: { inactive_file: 50_000_000, active_file: 10 } },
        networks: { eth0: { rx_bytes: 1_000, tx_bytes: 2_000 }, eth1: { rx_bytes: 500, tx_bytes: 10 } },
        blkio_stats: { io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'read', value: 4096 }, { major: 8, minor: 0, op: 'write', value: 8192 }, { major: 8, minor: 16, op: 'read', value: 1000 }] },
        pids_stats: { current: 7 },
      },
      logs: [
        { stream: 'stdout', ts: `${base}.123456789Z`, line: 'hello from stdout' },
        { stream: 'stderr', ts: `${base}.123456790Z`, line: 'oops on stderr' },
        { stream: 'stdout', ts: `${base}.5Z`, line: 'ünïcödé ✓ and more' },
      ],
    });
    // Stamped to the second, as Podman does: identical lines share a timestamp.
    engine.add({
      id: podlike,
      name: 'podlike',
      image: 'busybox',
      state: 'running',
      status: 'Up 1 second',
      startedAt: new Date(Date.now() - 1_000).toISOString(),
      logs: [
        { stream: 'stdout', ts: `${base}Z`, line: 'tick' },
        { stream: 'stdout', ts: `${base}Z`, line: 'tick' },
        { stream: 'stderr', ts: `${base}Z`, line: 'tick' },
        { stream: 'stdout', ts: `${base}Z`, line: 'line 0' },
        { stream: 'stdout', ts: `${base}Z`, line: 'tick' },
      ],
    });
    engine.add({ id: old, name: 'old-job', image: 'busybox', state: 'exited', status: 'Exited (0) 2 hours ago', startedAt: new Date(Date.now() - 7_200_000).toISOString() });
    gate = await Gate.start(Number(new URL(t.baseUrl).port));

    const created = await createHost('docker-host');
    hostA = created.host.id;
    configA = config(t.baseUrl, stateA, ['--enrollment-token', created.enrollmentToken, '--docker-socket', engine.socketPath, '--hostname', 'agent-a.test', '--inventory-interval', '60s']);
    agentA = await launch(configA, logA.log);
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await gate?.close();
    await engine?.close();
    await t?.close();
  });

  it('enrolls with the enrollment token, keeps the agent token private, and says hello', async () => {
    const identity = JSON.parse(await readFile(join(stateA, 'agent.json'), 'utf8'));
    expect(identity).toMatchObject({ hostId: hostA, agentToken: expect.any(String), server: t.baseUrl });
    expect((await stat(join(stateA, 'agent.json'))).mode & 0o777).toBe(0o600);
    // Presence is written in 50 ms batches, so "online" may land just after the hello.
    const view = await waitFor('hello to be stored and the host online', async () => {
      const body = (await t.http().get(`/api/hosts/${hostA}`).set(auth()).expect(200)).body;
      return body.dockerVersion && body.status === 'online' ? body : undefined;
    });
    expect(view).toMatchObject({ status: 'online', hostname: 'agent-a.test', dockerVersion: '27.3.1', os: 'Fake Linux 12', kernel: '6.8.0-fake', agentVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(view.cpus).toBeGreaterThan(0);
    expect(Number(view.memoryTotal)).toBeGreaterThan(0);
  });

  it('delivers every frame kind and the server stores it', async () => {
    for (const table of ['containers', 'container_metrics', 'host_metrics', 'process_samples', 'container_logs']) {
      await waitFor(`rows in ${table}`, async () => (await count(table, hostA)) > 0);
    }
    const [hostMetric] = await t.sql.query<{ cpu: number; disk: string }>(`SELECT cpu_percent AS cpu, disk_total::text AS disk FROM host_metrics WHERE host_id = $1 LIMIT 1`, [hostA]);
    expect(hostMetric.cpu).toBeGreaterThanOrEqual(0);
    expect(Number(hostMetric.disk)).toBeGreaterThan(0);
    const processes = await t.sql.query<{ pid: number; threads: number }>(`SELECT pid, threads FROM process_samples WHERE host_id = $1 AND pid = $2`, [hostA, process.pid]);
    expect(processes.length).toBeGreaterThan(0);
    expect(processes[0].threads).toBeGreaterThan(0);
    const list = (await t.http().get(`/api/hosts/${hostA}/containers`).set(auth()).expect(200)).body as { dockerId: string; name: string; state: string; startedAt: string | null }[];
    expect(list.find((c) => c.dockerId === web)).toMatchObject({ name: 'web-1', state: 'running', startedAt: expect.any(String) });
    expect(list.find((c) => c.dockerId === old)).toMatchObject({ name: 'old-job', state: 'exited' });
  });

  it('computes container metrics as docker stats does', async () => {
    const [row] = await waitFor('a metric of web-1', () =>
      t.sql.query<Record<string, unknown>>(
        `SELECT m.cpu_percent, m.memory_used::text, m.memory_limit::text, m.network_rx::text, m.network_tx::text, m.block_read::text, m.block_write::text, m.pids
         FROM container_metrics m JOIN containers c ON c.id = m.container_id WHERE c.docker_id = $1 LIMIT 1`,
        [web],
      ).then((rows) => (rows.length ? rows : undefined)),
    );
    // (100M cpu ns / 1G system ns) × 4 online CPUs × 100; memory without inactive_file.
    expect(row).toEqual({ cpu_percent: 40, memory_used: '250000000', memory_limit: '2000000000', network_rx: '1500', network_tx: '2010', block_read: '5096', block_write: '8192', pids: 7 });
    // cgroup v1 names; no online_cpus: docker counts the per-CPU list.
    const v1 = { cpu_stats: { cpu_usage: { total_usage: 50, percpu_usage: [1, 2] }, system_cpu_usage: 200 }, precpu_stats: { cpu_usage: { total_usage: 0 }, system_cpu_usage: 100 } };
    expect(cpuPercent(v1)).toBe(100);
    expect(cpuPercent({ ...v1, precpu_stats: v1.cpu_stats })).toBe(0);
    expect(memoryUsed({ usage: 100, stats: { total_inactive_file: 30, inactive_file: 5 } })).toBe(70);
  });

  it('demultiplexes the log stream and keeps nanosecond timestamps', async () => {
    const rows = await waitFor('three log lines of web-1', () =>
      t.sql.query<{ at: string; nanos: number; stream: string; line: string }>(
        `SELECT to_char(l.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at, l.nanos, l.stream, l.line
         FROM container_logs l JOIN containers c ON c.id = l.container_id WHERE c.docker_id = $1 ORDER BY l.ts, l.nanos`,
        [web],
      ).then((found) => (found.length >= 3 ? found : undefined)),
    );
    expect(rows).toEqual([
      { at: `${base}.123456`, nanos: 789, stream: 'stdout', line: 'hello from stdout' },
      { at: `${base}.123456`, nanos: 790, stream: 'stderr', line: 'oops on stderr' },
      { at: `${base}.500000`, nanos: 0, stream: 'stdout', line: 'ünïcödé ✓ and more' },
    ]);
    // Byte by byte, a multi-byte character split across frames, a TTY stream's raw lines.
    const frame = (stream: number, text: Buffer) => Buffer.concat([Buffer.from([stream, 0, 0, 0, 0, 0, 0, text.length]), text]);
    const euro = Buffer.from('2024-05-01T10:00:00.000000001Z price €5\n');
    const bytes = Buffer.concat([frame(1, euro.subarray(0, 36)), frame(2, Buffer.from('2024-05-01T10:00:00.000000002Z err\n')), frame(1, euro.subarray(36))]);
    const seen: string[] = [];
    const demuxer = new LogDemuxer(false, (stream, text) => seen.push(`${stream}|${text}`));
    for (const byte of bytes) demuxer.push(Buffer.from([byte]));
    expect(seen).toEqual(['stderr|2024-05-01T10:00:00.000000002Z err', 'stdout|2024-05-01T10:00:00.000000001Z price €5']);
    expect(parseLogLine(web, 'stdout', seen[1].split('|')[1])).toEqual({ containerId: web, ts: '2024-05-01T10:00:00.000000001Z', stream: 'stdout', line: 'price €5' });
    const tty: string[] = [];
    const raw = new LogDemuxer(true, (stream, text) => tty.push(`${stream}|${text}`));
    raw.push(Buffer.from('a\r\nb'));
    raw.end();
    expect(tty).toEqual(['stdout|a\r', 'stdout|b']);
  });

  const podlikeLines = () =>
    t.sql.query<{ stream: string; n: number; line: string }>(
      `SELECT l.stream, l.n, l.line FROM container_logs l JOIN containers c ON c.id = l.container_id WHERE c.docker_id = $1 ORDER BY l.stream, l.ts, l.nanos, l.n`,
      [podlike],
    );

  it('numbers lines that share a timestamp (n per container, stream and ts), so identical ones are all kept in order', async () => {
    const rows = await waitFor('five lines of podlike', () => podlikeLines().then((found) => (found.length >= 5 ? found : undefined)));
    expect(rows).toEqual([
      { stream: 'stderr', n: 0, line: 'tick' },
      { stream: 'stdout', n: 0, line: 'tick' },
      { stream: 'stdout', n: 1, line: 'tick' },
      { stream: 'stdout', n: 2, line: 'line 0' },
      { stream: 'stdout', n: 3, line: 'tick' },
    ]);
  });

  it('refreshes the inventory on a Docker event', async () => {
    const fresh = dockerId();
    const inventoryCalls = engine.callsTo(/^GET \/containers\/json$/).length;
    engine.add({ id: fresh, name: 'fresh', image: 'redis:7', state: 'running', status: 'Up 1 second', startedAt: new Date().toISOString() });
    engine.emit('start', fresh);
    await waitFor('the new container in the inventory', async () => (await t.sql.query(`SELECT 1 FROM containers WHERE host_id = $1 AND docker_id = $2 AND state = 'running'`, [hostA, fresh])).length > 0, 5_000);
    expect(engine.callsTo(/^GET \/containers\/json$/).length).toBeGreaterThan(inventoryCalls);
    engine.containers.delete(fresh);
    engine.emit('destroy', fresh);
    await waitFor('the destroyed container marked removed', async () => (await t.sql.query(`SELECT 1 FROM containers WHERE docker_id = $1 AND removed_at IS NOT NULL`, [fresh])).length > 0, 5_000);
  });

  it('looks again after an event the list does not show yet (Docker announces die before its list says exited)', async () => {
    const job = dockerId();
    engine.add({ id: job, name: 'job', image: 'busybox', state: 'running', status: 'Up 1 second', startedAt: new Date().toISOString() });
    engine.emit('start', job);
    await waitFor('the job running in the inventory', async () => (await t.sql.query(`SELECT 1 FROM containers WHERE docker_id = $1 AND state = 'running'`, [job])).length > 0, 5_000);
    engine.emit('die', job);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the refresh right after the event has read "running"
    Object.assign(engine.containers.get(job)!, { state: 'exited', status: 'Exited (3) 1 second ago' });
    await waitFor('the job exited in the inventory, with no further event', async () => (await t.sql.query(`SELECT 1 FROM containers WHERE docker_id = $1 AND state = 'exited'`, [job])).length > 0, 3_000);
  });

  it('reads a new container from its creation: lines stamped before its StartedAt are kept', async () => {
    const early = dockerId();
    const start = Date.now() + 60_000; // ahead of now, like base: after the agent's enrollment
    const at = (ms: number) => new Date(start + ms).toISOString().replace('Z', '000000Z');
    engine.add({
      id: early,
      name: 'early',
      image: 'busybox',
      state: 'running',
      status: 'Up 1 second',
      createdAt: at(-200),
      startedAt: at(3),
      logs: [
        { stream: 'stdout', ts: at(1), line: 'first, before StartedAt' },
        { stream: 'stdout', ts: at(5), line: 'second' },
      ],
    });
    engine.emit('start', early);
    const rows = await waitFor('both lines of early', () =>
      t.sql.query<{ line: string }>(`SELECT l.line FROM container_logs l JOIN containers c ON c.id = l.container_id WHERE c.docker_id = $1 ORDER BY l.ts`, [early]).then((found) => (found.length >= 2 ? found : undefined)),
    );
    expect(rows.map((row) => row.line)).toEqual(['first, before StartedAt', 'second']);
  });

  it('runs a command from the server on the engine and answers command_result', async () => {
    const [{ id: containerId }] = await t.sql.query<{ id: string }>(`SELECT id FROM containers WHERE host_id = $1 AND docker_id = $2`, [hostA, web]);
    const [{ id: commandId }] = await t.sql.query<{ id: string }>(
      `INSERT INTO commands (organization_id, host_id, container_id, action, status, timeout_ms) VALUES ($1, $2, $3, 'restart', 'sent', 5000) RETURNING id`,
      [tenant.organizationId, hostA, containerId],
    );
    expect(await t.app.get(AgentConnections).deliver(hostA, { type: 'command', commandId, action: 'restart', containerId: web, timeoutMs: 5000 })).toBe(true);
    const [done] = await waitFor('the command to finish', () => t.sql.query<{ status: string; message: string }>(`SELECT status, message FROM commands WHERE id = $1 AND status <> 'sent'`, [commandId]).then((rows) => (rows.length ? rows : undefined)));
    expect(done).toEqual({ status: 'succeeded', message: 'restarted' });
    expect(engine.callsTo(new RegExp(`^POST /containers/${web}/restart$`))).toEqual([expect.objectContaining({ query: { t: '2' } })]);
  });

  it('a restarted agent reuses the stored token and resumes logs after the last spooled line', async () => {
    const stored = await readFile(join(stateA, 'agent.json'), 'utf8');
    await agentA.stop();
    expect(logA.lines).toContainEqual(expect.stringMatching(/^INFO Stopped; \d+ unacknowledged frame/));
    const logsBefore = engine.callsTo(new RegExp(`/${web}/logs$`)).length;
    // More lines in the same second while the agent is away: read again from that second, only they are new.
    engine.containers.get(podlike)!.logs!.push({ stream: 'stdout', ts: `${base}Z`, line: 'tick' }, { stream: 'stdout', ts: `${base}Z`, line: 'line 1' });
    // No enrollment token now (the one used is spent anyway): the stored agent token must do.
    const again = captureLog('A2');
    agentA = await launch({ ...configA, enrollmentToken: undefined }, again.log);
    expect(agentA.identity).toEqual(JSON.parse(stored));
    expect(await readFile(join(stateA, 'agent.json'), 'utf8')).toBe(stored);
    const resumed = await waitFor('the log stream to be followed again', () => engine.callsTo(new RegExp(`/${web}/logs$`)).slice(logsBefore)[0]);
    // At the last spooled line's own timestamp (`since` is inclusive): the lines of that instant already spooled are skipped.
    expect(resumed.query.since).toBe(`${Date.parse(`${base}Z`) / 1000}.500000000`);
    const rows = await waitFor('seven lines of podlike', () => podlikeLines().then((found) => (found.length >= 7 ? found : undefined)));
    expect(rows.filter((row) => row.stream === 'stdout')).toEqual(['tick', 'tick', 'line 0', 'tick', 'tick', 'line 1'].map((line, n) => ({ stream: 'stdout', n, line })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await podlikeLines()).toHaveLength(7);
    expect(await t.sql.query(`SELECT 1 FROM container_logs l JOIN containers c ON c.id = l.container_id WHERE c.docker_id = $1`, [web])).toHaveLength(3);
    const listed = async () => ((await t.http().get('/api/hosts').set(auth()).expect(200)).body as { id: string; hostname: string; status: string }[]).filter((h) => h.hostname === 'agent-a.test');
    await waitFor('the host to be online again (presence is written in 50 ms batches)', async () => ((await listed())[0]?.status === 'online' ? true : undefined));
    expect(await listed()).toEqual([expect.objectContaining({ id: hostA, status: 'online' })]);
    expect(again.lines.some((line) => line.startsWith('ERROR'))).toBe(false);
  });

  describe('a host without Docker behind a connection that can be cut', () => {
    let hostB: string;
    let agentB: Agent;
    const logB = captureLog('B');
    const stateB = tempDir('agent-b-');
    let configB: AgentConfig;

    beforeAll(async () => {
      const created = await createHost('plain-host');
      hostB = created.host.id;
      configB = config(`http://127.0.0.1:${gate.port}`, stateB, ['--enrollment-token', created.enrollmentToken, '--docker-socket', join(stateB, 'no-docker.sock')]);
      agentB = await launch(configB, logB.log);
    });

    it('spools frames while the server is unreachable and delivers each once when it is back, across a restart', async () => {
      gate.cut();
      await waitFor('the disconnect', () => !agentB.connected);
      await waitFor('frames to pile up in the spool', () => agentB.spool!.size >= 4);
      await agentB.stop();
      const spoolDir = join(stateB, 'spool');
      const files = (await readdir(spoolDir)).filter((name) => name.endsWith('.json')).sort();
      const frames = await Promise.all(files.map(async (name) => JSON.parse(await readFile(join(spoolDir, name), 'utf8'))));
      expect(frames.map((f) => f.seq)).toEqual([...frames.map((f) => f.seq)].sort((a, b) => a - b));
      const spooledTs: string[] = frames.filter((f) => f.type === 'host_metrics').flatMap((f) => f.data.map((d: { ts: string }) => d.ts));
      expect(spooledTs.length).toBeGreaterThan(0);

      agentB = new Agent({ ...configB, enrollmentToken: undefined }, logB.log);
      agents.push(agentB);
      await agentB.start();
      await waitFor('a failed connection attempt', () => logB.lines.some((line) => /WARN Could not connect to ws:\/\/127\.0\.0\.1:\d+\/agent .*reconnecting in/.test(line)));
      gate.open = true;
      await waitFor('every spooled frame to be acknowledged', async () => {
        const left = await readdir(spoolDir);
        return files.every((name) => !left.includes(name));
      });
      const stored = await t.sql.query<{ ts: string; n: number }>(
        `SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, count(*)::int AS n FROM host_metrics WHERE host_id = $1 AND ts = ANY($2::timestamptz[]) GROUP BY ts`,
        [hostB, spooledTs],
      );
      expect(stored.map((r) => r.ts).sort()).toEqual([...spooledTs].sort());
      expect(stored.every((r) => r.n === 1)).toBe(true);
      expect(await t.sql.query(`SELECT ts, pid FROM process_samples WHERE host_id = $1 GROUP BY ts, pid HAVING count(*) > 1`, [hostB])).toEqual([]);
    });

    it('answers a command failed when the host has no Docker', async () => {
      const [{ id: containerId }] = await t.sql.query<{ id: string }>(`INSERT INTO containers (host_id, docker_id, short_id, state) VALUES ($1, $2, left($2, 12), 'running') RETURNING id`, [hostB, dockerId()]);
      const [{ id: commandId }] = await t.sql.query<{ id: string }>(
        `INSERT INTO commands (organization_id, host_id, container_id, action, status, timeout_ms) VALUES ($1, $2, $3, 'stop', 'sent', 5000) RETURNING id`,
        [tenant.organizationId, hostB, containerId],
      );
      await waitFor('agent B to be connected', () => agentB.connected);
      await t.app.get(AgentConnections).deliver(hostB, { type: 'command', commandId, action: 'stop', containerId: dockerId(), timeoutMs: 5000 });
      const [done] = await waitFor('the command to finish', () => t.sql.query<{ status: string; message: string }>(`SELECT status, message FROM commands WHERE id = $1 AND status <> 'sent'`, [commandId]).then((rows) => (rows.length ? rows : undefined)));
      expect(done).toEqual({ status: 'failed', message: expect.stringContaining('Docker is not available') });
    });

    it('logs an invalid_message refusal with its details and drops the frame from the spool', async () => {
      await waitFor('agent B to be connected', () => agentB.connected);
      const bad = { containerId: 'NOT-HEX', ts: new Date().toISOString(), cpuPercent: -1, memoryUsed: 1, memoryLimit: 1, networkRx: 0, networkTx: 0, blockRead: 0, blockWrite: 0, pids: 1 };
      await agentB.delivery!.enqueue('metrics', [bad]);
      const seq = Math.max(...[...agentB.spool!.list()].filter((e) => e.type === 'metrics').map((e) => e.seq));
      const line = await waitFor('the refusal in the log', () => logB.lines.find((l) => l.includes(`Frame ${seq} (metrics) refused: invalid_message`)));
      expect(line).toMatch(/^ERROR .*dropped from the spool \(resending cannot help\)$/);
      expect(line).toContain('data[0].containerId: ');
      expect(line).toContain('data[0].cpuPercent: ');
      expect(agentB.spool!.get(seq)).toBeUndefined();
      expect((await readdir(join(stateB, 'spool'))).filter((name) => name.startsWith(String(seq).padStart(12, '0')))).toEqual([]);
      expect(await count('container_metrics', hostB)).toBe(0);
    });

    it('a revoked token is refused with 401 on the upgrade: logged, retried with backoff, and kept', async () => {
      const stored = await readFile(join(stateB, 'agent.json'), 'utf8');
      await t.http().delete(`/api/hosts/${hostB}`).set(auth()).expect((res) => expect(res.status).toBeLessThan(300));
      await waitFor('the socket closed as revoked', () => logB.lines.some((l) => l.startsWith('WARN Disconnected (4003: agent token revoked')));
      const refusals = () => logB.lines.filter((l) => /^ERROR Server refused the agent token \(HTTP 401\).*reconnecting in/.test(l)).length;
      await waitFor('two refused reconnects', () => refusals() >= 2);
      expect(agentB.connected).toBe(false);
      expect(await readFile(join(stateB, 'agent.json'), 'utf8')).toBe(stored);
    });
  });
});

describe('dockpulse-agent delivery parts, in process', () => {
  const quiet = () => captureLog('parts');

  it('the spool survives a reopen in seq order and drops the oldest frame, with a warning, when full', async () => {
    const dir = tempDir('spool-');
    const { log, lines } = quiet();
    const spool = new Spool(dir, 3, 1024 * 1024, log);
    await spool.open();
    for (let i = 1; i <= 5; i++) await spool.append('host_metrics', { data: [{ i }] });
    expect([...spool.list()].map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(lines).toContainEqual(expect.stringMatching(/^WARN Spool full .*dropped the oldest frame 1 \(host_metrics\)/));
    const reopened = new Spool(dir, 3, 1024 * 1024, log);
    await reopened.open();
    expect([...reopened.list()].map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(JSON.parse((await reopened.read(4))!)).toEqual({ type: 'host_metrics', seq: 4, data: [{ i: 4 }] });
    expect(reopened.nextSeq()).toBe(6);
  });

  it('splits batches to the limits of welcome', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ i, pad: 'x'.repeat(100) }));
    expect(splitItems(items, { maxItems: 4, maxPayloadBytes: 1_000_000 }).batches.map((b) => b.length)).toEqual([4, 4, 2]);
    const bySize = splitItems(items, { maxItems: 5000, maxPayloadBytes: 128 + 3 * 120 });
    expect(bySize.batches.every((b) => Buffer.byteLength(JSON.stringify(b)) <= 3 * 120)).toBe(true);
    expect(bySize.batches.flat()).toEqual(items);
    expect(splitItems([{ pad: 'y'.repeat(500) }], { maxItems: 10, maxPayloadBytes: 300 }).oversized).toHaveLength(1);
  });

  it('keeps a rate_limited frame and resends it after retryAfterMs; an ack removes it', async () => {
    const { log, lines } = quiet();
    const spool = new Spool(tempDir('spool-'), 100, 1024 * 1024, log);
    await spool.open();
    const sent: { seq: number; at: number }[] = [];
    const delivery = new Delivery(spool, 8, log);
    delivery.attach({ send: (text) => sent.push({ seq: JSON.parse(text).seq, at: Date.now() }) }, { maxItems: 5000, maxPayloadBytes: 1_048_576 });
    await delivery.enqueue('host_metrics', [{ ts: new Date().toISOString() }]);
    const first = await waitFor('the first send', () => sent[0]);
    delivery.handleAnswer({ type: 'error', seq: first.seq, code: 'rate_limited', message: 'Too many frames', retryAfterMs: 300 });
    expect(lines).toContainEqual(`WARN Frame ${first.seq} (host_metrics) refused: rate_limited: Too many frames; resending in 300 ms`);
    const again = await waitFor('the resend', () => sent[1]);
    expect(again.seq).toBe(first.seq);
    expect(again.at - first.at).toBeGreaterThanOrEqual(290);
    delivery.handleAnswer({ type: 'ack', seq: first.seq });
    expect(spool.size).toBe(0);
  });
});
