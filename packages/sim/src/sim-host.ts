import { CLOSE_REVOKED, type ContainerEvent, type ErrorFrame, type ServerFrame } from '@dockpulse/protocol';
import WebSocket from 'ws';
import { chunkFrame } from './chunk-frame.js';
import { FakeHost } from './fake-host.js';
import type { FleetStats } from './fleet-stats.js';
import { FrameWindow, type QueuedFrame } from './frame-window.js';
import type { OutboundFrame, RowKind, TelemetryKind } from './frame-kinds.js';

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 15_000;
const CLOSE_WAIT_MS = 3_000;
/** How long a stopping host waits for the answers to frames already sent. */
const IN_FLIGHT_WAIT_MS = 5_000;
/** Refusals logged per host; after that they are only counted, so a bad run cannot flood the terminal. */
const MAX_LOGGED_REFUSALS = 3;

export interface SimHostOptions {
  server: string;
  hostId: string;
  name: string;
  agentToken: string;
  containers: number;
  intervalMs: number;
  window: number;
  kinds: readonly TelemetryKind[];
  /** Chance per running container and round that it crashes (then restarts); 0 for none. */
  crashChance: number;
  stats: FleetStats;
  log: (line: string) => void;
}

/**
 * One simulated agent: its own socket and token, hello and inventory on every connection, then
 * telemetry every interval through a FrameWindow; reconnects with backoff until stopped or revoked.
 */
export class SimHost {
  readonly fake: FakeHost;
  readonly rowsAcked: Record<RowKind, number> = { metrics: 0, host_metrics: 0, logs: 0, processes: 0, containers: 0, container_events: 0 };
  connected = false;
  revoked = false;
  private readonly window: FrameWindow;
  private readonly ackedContainers = new Set<string>();
  private socket?: WebSocket;
  private refusedStatus?: number;
  private maxItems = Infinity;
  private ticker?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private backoffMs = FIRST_BACKOFF_MS;
  private ticks = 0;
  private lastTickTs = 0;
  private refusals = 0;
  private stopping = false;

  constructor(private readonly options: SimHostOptions) {
    this.fake = new FakeHost(options.name, options.containers);
    this.window = new FrameWindow(options.window, options.stats, {
      acked: (entry) => this.acked(entry),
      refused: (entry, error) => this.refused(entry, error),
    });
  }

  get hostId(): string {
    return this.options.hostId;
  }

  start(): void {
    this.connect();
  }

  /**
   * Stops telemetry, sends what is queued (for up to `drainMs`), then stops sending and waits for
   * the answers to what is in flight, so every frame sent is answered; closes with 1000.
   */
  async stop(drainMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.ticker);
    clearTimeout(this.reconnectTimer);
    const deadline = Date.now() + drainMs;
    while (this.connected && this.window.pending > 0 && Date.now() < deadline) await sleep(20);
    this.window.hold();
    const answersDeadline = Date.now() + IN_FLIGHT_WAIT_MS;
    while (this.connected && this.window.inFlightCount > 0 && Date.now() < answersDeadline) await sleep(20);
    await this.close();
  }

  private connect(): void {
    const url = `${this.options.server.replace(/^http/, 'ws').replace(/\/+$/, '')}/agent`;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${this.options.agentToken}` } });
    this.socket = socket;
    this.refusedStatus = undefined;
    socket.on('unexpected-response', (_request, response) => {
      this.refusedStatus = response.statusCode;
      socket.terminate();
    });
    // Failures surface as 'close' too, which is where reconnecting is decided.
    socket.on('error', () => undefined);
    socket.on('message', (data) => this.receive(socket, data.toString()));
    socket.on('close', (code) => this.closed(socket, code));
  }

  private receive(socket: WebSocket, text: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      this.options.log(`host ${this.options.name}: server sent a frame that is not JSON: ${text.slice(0, 100)}`);
      return;
    }
    if (frame.type === 'welcome') {
      this.connected = true;
      this.backoffMs = FIRST_BACKOFF_MS;
      this.maxItems = frame.limits?.maxItems ?? Infinity;
      // A new connection may follow a server that forgot nothing, or one restored from backup:
      // telling it who we are and what runs here again is always safe.
      const greeting = [this.fake.hello(), this.fake.inventory()];
      this.window.pushFirst(greeting, (queued) => queued.type === 'hello' || queued.type === 'containers');
      this.window.attach((out) => socket.send(out));
    } else if (frame.type === 'ack' || frame.type === 'error') {
      this.window.answer(frame);
    } else if (frame.type === 'command') {
      const events = this.fake.apply(frame.action, frame.containerId);
      this.window.push({ type: 'command_result', commandId: frame.commandId, status: 'succeeded', message: `${frame.action} done (simulated)` });
      this.options.stats.commandsAnswered++;
      if (events) this.changed(events);
    }
  }

  private closed(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    this.connected = false;
    this.window.detach();
    if (this.stopping) return;
    if (code === CLOSE_REVOKED || this.refusedStatus === 401) {
      this.revoked = true;
      clearTimeout(this.ticker);
      this.options.log(`host ${this.options.name}: agent token refused (${this.refusedStatus ?? code}); not reconnecting`);
      return;
    }
    const delay = this.backoffMs * (0.5 + Math.random());
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.reconnectTimer = setTimeout(() => {
      this.options.stats.reconnects++;
      this.connect();
    }, delay);
  }

  private acked(entry: QueuedFrame): void {
    const { type, data } = entry.frame as OutboundFrame & { data?: { dockerId?: string }[] };
    if (type === 'containers') {
      const fresh = (data ?? []).filter((c) => !this.ackedContainers.has(c.dockerId as string));
      for (const c of fresh) this.ackedContainers.add(c.dockerId as string);
      this.count('containers', fresh.length);
      // Telemetry starts once the server knows the inventory, so no sample names an unknown container.
      if (!this.ticker && !this.stopping) this.startTicking();
    } else if (type === 'metrics' || type === 'host_metrics' || type === 'logs' || type === 'processes' || type === 'container_events') {
      this.count(type, data?.length ?? 0);
    }
  }

  private count(kind: RowKind, rows: number): void {
    this.rowsAcked[kind] += rows;
    this.options.stats.rowsAcked[kind] += rows;
  }

  private refused(entry: QueuedFrame, error: ErrorFrame): void {
    if (this.refusals++ >= MAX_LOGGED_REFUSALS) return;
    const details = error.details?.length ? ` (${error.details.map((d) => `${d.path}: ${d.message}`).join('; ')})` : '';
    this.options.log(`host ${this.options.name}: ${entry.frame.type} frame refused: ${error.code} ${error.message}${details}`);
  }

  /** Hosts start at a random phase of the interval, so a fleet's frames do not arrive in bursts. */
  private startTicking(): void {
    const { intervalMs } = this.options;
    this.lastTickTs = Date.now() - intervalMs;
    const loop = () => {
      this.tick();
      this.ticker = setTimeout(loop, intervalMs);
    };
    this.ticker = setTimeout(loop, Math.random() * intervalMs);
  }

  private tick(): void {
    const ts = this.fake.nextTs();
    const elapsed = ts - this.lastTickTs;
    const since = this.lastTickTs;
    this.lastTickTs = ts;
    this.ticks++;
    const kinds = this.options.kinds;
    const incidents = this.fake.incidents();
    const frames: OutboundFrame[] = [];
    if (kinds.includes('metrics')) frames.push(this.fake.metrics(ts, elapsed));
    if (kinds.includes('host_metrics')) frames.push(this.fake.hostMetrics(ts, elapsed));
    if (kinds.includes('logs')) frames.push(this.fake.logs(ts, since));
    if (kinds.includes('logs') && incidents.logs.length) frames.push({ type: 'logs', data: incidents.logs });
    if (kinds.includes('processes') && this.ticks % 3 === 1) frames.push(this.fake.processesSnapshot(ts));
    for (const frame of frames) for (const part of chunkFrame(frame, this.maxItems)) this.window.push(part);
    const events = [...incidents.events, ...this.fake.crashes(this.options.crashChance)];
    if (events.length) this.changed(events);
  }

  /** Containers changed: what the engine announced, then the inventory as it now is. */
  private changed(events: ContainerEvent[]): void {
    if (events.length) for (const part of chunkFrame({ type: 'container_events', data: events }, this.maxItems)) this.window.push(part);
    this.window.push(this.fake.inventory());
  }

  private close(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => socket.terminate(), CLOSE_WAIT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000, 'simulator stopping');
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
