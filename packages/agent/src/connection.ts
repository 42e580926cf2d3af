import type { CommandFrame, HelloBody, ServerFrame } from '@dockpulse/protocol';
import WebSocket from 'ws';
import { Backoff } from './backoff.js';
import type { Delivery } from './delivery.js';
import { errorText, type Log } from './log.js';
import type { Spool } from './spool.js';

export interface ConnectionOptions {
  server: string;
  agentToken: string;
  hostId: string;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  stableAfterMs: number;
  hello: () => Promise<HelloBody>;
  onCommand: (command: CommandFrame) => void;
}

/** Our own ping: a silently dead TCP connection would otherwise hold frames in flight forever. */
const PING_EVERY_MS = 30_000;

const CLOSE_REASONS: Record<number, string> = {
  1000: 'closed normally',
  1001: 'server shutting down',
  1006: 'connection lost',
  1009: 'a frame exceeded the server\'s size limit',
  4001: 'replaced by a newer connection with this host\'s token (is a second agent running with the same state?)',
  4003: 'agent token revoked (host deleted or re-enrolled)',
};

/**
 * Holds the `/agent` socket: bearer token on the upgrade, `hello` on `welcome`, answers to the
 * Delivery, commands to their runner, and reconnects with full-jitter backoff (reset once a
 * connection has stayed up for `stableAfterMs`). A 401 on the upgrade is logged and retried like
 * any failure: the token stays, since an operator may fix the server side.
 */
export class Connection {
  private socket?: WebSocket;
  private readonly backoff: Backoff;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = false;
  private helloSeq?: number;
  connected = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly delivery: Delivery,
    private readonly spool: Spool,
    private readonly log: Log,
  ) {
    this.backoff = new Backoff(options.reconnectMinMs, options.reconnectMaxMs);
  }

  start(): void {
    this.connect();
  }

  /** Closes with 1000 and stops reconnecting. */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => socket.terminate(), 2_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.OPEN) socket.close(1000, 'Agent shutting down');
      else socket.terminate();
    });
  }

  private connect(): void {
    const url = `${this.options.server.replace(/^http/, 'ws')}/agent`;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${this.options.agentToken}` }, handshakeTimeout: 15_000 });
    this.socket = socket;
    let refusedStatus: number | undefined;
    let welcomedAt: number | undefined;
    let alive = true;
    const pinger = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      if (socket.readyState === WebSocket.OPEN) socket.ping();
    }, PING_EVERY_MS);
    const markAlive = () => (alive = true);

    socket.on('unexpected-response', (_request, response) => {
      refusedStatus = response.statusCode ?? 0;
      response.resume();
      socket.terminate();
    });
    let failure: string | undefined;
    socket.on('error', (error) => (failure ??= errorText(error)));
    socket.on('ping', markAlive);
    socket.on('pong', markAlive);
    socket.on('message', (data) => {
      markAlive();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(data.toString()) as ServerFrame;
      } catch {
        return this.log.warn('Server sent a frame that is not JSON; ignored');
      }
      if (frame.type === 'welcome') {
        welcomedAt = Date.now();
        void this.welcome(socket, frame.hostId, frame.limits);
      } else if (frame.type === 'ack' || frame.type === 'error') {
        if (frame.seq !== null && frame.seq === this.helloSeq) {
          if (frame.type === 'error') this.log.error(`Server refused hello: ${frame.code}: ${frame.message}`);
          this.helloSeq = undefined;
        } else this.delivery.handleAnswer(frame);
      } else if (frame.type === 'command') this.options.onCommand(frame);
      else this.log.debug(`Ignoring server frame of type ${(frame as { type?: string }).type}`);
    });
    socket.on('close', (code, reason) => {
      clearInterval(pinger);
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.connected = false;
      this.delivery.detach();
      if (welcomedAt !== undefined && Date.now() - welcomedAt >= this.options.stableAfterMs) this.backoff.reset();
      if (this.stopped) return this.log.info(`Disconnected (${code}: ${CLOSE_REASONS[code] ?? 'closed'})`);
      const wait = this.backoff.next();
      const retry = `; reconnecting in ${(wait / 1000).toFixed(1)} s`;
      if (welcomedAt !== undefined) this.log.warn(`Disconnected (${code}: ${CLOSE_REASONS[code] ?? (reason.toString() || 'no reason given')})${retry}`);
      else if (refusedStatus === 401) this.log.error(`Server refused the agent token (HTTP 401): host deleted or token revoked? Keeping the token and retrying (move agent.json away to re-enroll)${retry}`);
      else if (refusedStatus !== undefined) this.log.warn(`Server refused the connection (HTTP ${refusedStatus})${retry}`);
      else this.log.warn(`Could not connect to ${url} (${failure ?? `closed with ${code}`})${retry}`);
      this.reconnectTimer = setTimeout(() => this.connect(), wait);
    });
  }

  private async welcome(socket: WebSocket, hostId: string, limits: { maxPayloadBytes: number; maxItems: number }): Promise<void> {
    if (hostId !== this.options.hostId) this.log.warn(`Server says this is host ${hostId}; the state directory says ${this.options.hostId}`);
    this.log.info(`Connected to ${this.options.server} as host ${hostId} (${this.spool.size} frame(s) waiting in the spool)`);
    let hello: HelloBody;
    try {
      hello = await this.options.hello();
    } catch (error) {
      this.log.warn(`Could not gather host details for hello: ${errorText(error)}`);
      return this.goLive(socket, limits);
    }
    if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
    this.helloSeq = this.spool.nextSeq();
    socket.send(JSON.stringify({ type: 'hello', seq: this.helloSeq, ...hello }));
    this.goLive(socket, limits);
  }

  private goLive(socket: WebSocket, limits: { maxPayloadBytes: number; maxItems: number }): void {
    if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
    this.connected = true;
    this.delivery.attach({ send: (text) => socket.send(text) }, limits);
  }
}
