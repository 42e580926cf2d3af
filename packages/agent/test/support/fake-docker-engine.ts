import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';

export interface FakeLogLine {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, as the Engine writes it before the line. */
  ts: string;
  line: string;
}

export interface FakeContainer {
  id: string;
  name: string;
  image: string;
  state: 'running' | 'exited' | 'created';
  status: string;
  startedAt: string;
  /** When it was created (defaults to startedAt); a container's first lines may come before StartedAt. */
  createdAt?: string;
  labels?: Record<string, string>;
  tty?: boolean;
  /** The Engine's stats answer (without `read`, which is stamped per request). */
  stats?: Record<string, unknown>;
  logs?: FakeLogLine[];
  /** What inspect tells besides the state: absent fields are left out, as for a container never run. */
  exitCode?: number;
  restartCount?: number;
  finishedAt?: string;
  /** `State.Health.Status`; absent without a healthcheck. */
  health?: 'starting' | 'healthy' | 'unhealthy';
}

export interface EngineCall {
  method: string;
  path: string;
  query: Record<string, string>;
}

/**
 * A Docker Engine API double on a unix socket: just the endpoints the agent uses, answering in the
 * Engine's shapes (multiplexed log streams, streaming events). Paths may carry an API version
 * prefix (`/v1.47/containers/json`). Records every call so tests can check what was asked.
 */
export class FakeDockerEngine {
  readonly calls: EngineCall[] = [];
  readonly containers = new Map<string, FakeContainer>();
  private readonly eventStreams = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly socketPath: string,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(dir: string): Promise<FakeDockerEngine> {
    let engine: FakeDockerEngine | undefined;
    const server = createServer((req, res) => engine!.route(req, res));
    engine = new FakeDockerEngine(server, join(dir, 'docker.sock'));
    await new Promise<void>((resolve) => server.listen(engine!.socketPath, resolve));
    return engine;
  }

  add(container: FakeContainer): void {
    this.containers.set(container.id, container);
  }

  /** Pushes a container event to every open /events stream; `attributes` as Docker adds them (`exitCode` with die). */
  emit(action: string, id: string, attributes: Record<string, string> = {}): void {
    const now = Date.now();
    const event = { Type: 'container', Action: action, status: action, id, Actor: { ID: id, Attributes: { name: this.containers.get(id)?.name ?? '', ...attributes } }, time: Math.floor(now / 1000), timeNano: now * 1e6 };
    for (const res of this.eventStreams) res.write(`${JSON.stringify(event)}\n`);
  }

  callsTo(pattern: RegExp): EngineCall[] {
    return this.calls.filter((call) => pattern.test(`${call.method} ${call.path}`));
  }

  async close(): Promise<void> {
    for (const res of this.eventStreams) res.end();
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://docker');
    const path = url.pathname.replace(/^\/v\d+\.\d+/, '');
    const query = Object.fromEntries(url.searchParams);
    this.calls.push({ method: req.method ?? 'GET', path, query });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const match = /^\/containers\/([0-9a-f]+)\/(json|stats|logs|start|stop|restart)$/.exec(path);
    const container = match ? this.containers.get(match[1]) : undefined;
    if (match && !container) return json(404, { message: `No such container: ${match[1]}` });

    if (req.method === 'GET' && path === '/_ping') return void res.end('OK');
    if (req.method === 'GET' && path === '/version') return json(200, { Version: '27.3.1', ApiVersion: '1.47', Os: 'linux', Arch: 'amd64', KernelVersion: '6.8.0-fake' });
    if (req.method === 'GET' && path === '/info') return json(200, { OperatingSystem: 'Fake Linux 12', KernelVersion: '6.8.0-fake', NCPU: 4, MemTotal: 8_000_000_000 });
    if (req.method === 'GET' && path === '/containers/json') {
      const all = query.all === '1' || query.all === 'true';
      return json(200, [...this.containers.values()].filter((c) => all || c.state === 'running').map(listed));
    }
    if (req.method === 'GET' && path === '/events') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      this.eventStreams.add(res);
      res.on('close', () => this.eventStreams.delete(res));
      return;
    }
    if (match && container && req.method === 'GET') {
      if (match[2] === 'json') return json(200, inspected(container));
      if (match[2] === 'stats') return this.stats(container, query, res);
      return this.logs(container, query, res);
    }
    if (match && container && req.method === 'POST') {
      container.state = match[2] === 'stop' ? 'exited' : 'running';
      res.writeHead(204);
      return void res.end();
    }
    json(404, { message: `page not found: ${req.method} ${path}` });
  }

  /** One answer with `stream=false`; otherwise, as the Engine does, a sample a line until the client goes (every 200 ms here, not 1 s). */
  private stats(container: FakeContainer, query: Record<string, string>, res: ServerResponse): void {
    const sample = () => `${JSON.stringify({ read: new Date().toISOString(), ...container.stats })}\n`;
    res.writeHead(200, { 'content-type': 'application/json' });
    if (query.stream === 'false' || query.stream === '0') return void res.end(sample());
    res.write(sample());
    const timer = setInterval(() => res.write(sample()), 200);
    res.on('close', () => clearInterval(timer));
  }

  /** Lines at or after `since` (seconds.nanoseconds), multiplexed unless TTY; held open with follow. */
  private logs(container: FakeContainer, query: Record<string, string>, res: ServerResponse): void {
    const since = query.since ? toNanos(query.since) : 0n;
    res.writeHead(200, { 'content-type': container.tty ? 'text/plain' : 'application/vnd.docker.multiplexed-stream' });
    for (const { stream, ts, line } of container.logs ?? []) {
      if (rfc3339Nanos(ts) < since) continue;
      const payload = Buffer.from(`${ts} ${line}\n`);
      if (container.tty) {
        res.write(payload);
        continue;
      }
      // Each line in two frames, the header written on its own: the agent must reassemble both.
      const cut = Math.floor(payload.length / 2);
      for (const part of [payload.subarray(0, cut), payload.subarray(cut)]) {
        const header = Buffer.alloc(8);
        header[0] = stream === 'stderr' ? 2 : 1;
        header.writeUInt32BE(part.length, 4);
        res.write(header);
        res.write(part);
      }
    }
    if (query.follow !== '1' && query.follow !== 'true') res.end();
  }
}

function listed(c: FakeContainer) {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    ImageID: `sha256:${'cd'.repeat(32)}`,
    Command: 'nginx -g "daemon off;"',
    Created: Math.floor(Date.parse(c.startedAt) / 1000),
    Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
    Labels: c.labels ?? {},
    State: c.state,
    Status: c.status,
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}

function inspected(c: FakeContainer) {
  const state = {
    Status: c.state,
    Running: c.state === 'running',
    StartedAt: c.startedAt,
    ...(c.exitCode === undefined ? {} : { ExitCode: c.exitCode }),
    ...(c.finishedAt === undefined ? {} : { FinishedAt: c.finishedAt }),
    ...(c.health === undefined ? {} : { Health: { Status: c.health, FailingStreak: 0, Log: [] } }),
  };
  return { Id: c.id, Name: `/${c.name}`, Created: c.createdAt ?? c.startedAt, State: state, ...(c.restartCount === undefined ? {} : { RestartCount: c.restartCount }), Config: { Tty: c.tty ?? false, Image: c.image } };
}

function toNanos(since: string): bigint {
  const [seconds, fraction = ''] = since.split('.');
  return BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

function rfc3339Nanos(ts: string): bigint {
  const [, base, fraction = ''] = /^(.*?:\d{2})(?:\.(\d+))?Z$/.exec(ts) ?? [];
  return BigInt(Date.parse(`${base}Z`) / 1000) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
}
