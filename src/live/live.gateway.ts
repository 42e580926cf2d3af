import { BeforeApplicationShutdown, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { principalOf } from '../common/authenticating-ws.adapter.js';
import { closeGoingAway } from '../common/close-going-away.js';
import { HeartbeatTicks, PINGS_PER_TURN } from '../common/heartbeat-ticks.js';
import { inSlices } from '../common/in-slices.js';
import { startInterval, stopInterval } from '../common/intervals.js';
import type { UserPrincipal } from '../common/principal.js';
import type { Environment } from '../config/environment.js';
import { LiveConnection } from './live-connection.js';
import { LiveHub } from './live-hub.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import { MAX_CLIENT_FRAME_BYTES, parseClientFrame } from './live.protocol.js';

const CLOSE_GRACE_MS = 1_000;
const MAX_PENDING_FRAMES = 16;
const HEARTBEAT = 'live-heartbeat';

/**
 * `/live`: dashboard sockets, authenticated on the upgrade by a single-use ticket (see
 * live-upgrade.authenticator.ts). Reads raw frames itself (subscribe / unsubscribe), answers in
 * order, pings every LIVE_HEARTBEAT_MS and drops peers that missed a pong.
 */
@WebSocketGateway({ path: '/live', maxPayload: MAX_CLIENT_FRAME_BYTES })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly connections = new Map<WebSocket, LiveConnection>();
  private readonly heartbeatMs: number;
  private readonly ticks: HeartbeatTicks;
  private readonly maxBufferedBytes: number;
  private draining = false;

  constructor(
    private readonly hub: LiveHub,
    private readonly subscriptions: LiveSubscriptions,
    config: ConfigService<Environment, true>,
    private readonly schedules: SchedulerRegistry,
  ) {
    this.heartbeatMs = config.getOrThrow('LIVE_HEARTBEAT_MS', { infer: true });
    this.ticks = new HeartbeatTicks(this.heartbeatMs);
    this.maxBufferedBytes = config.getOrThrow('LIVE_MAX_BUFFERED_BYTES', { infer: true });
  }

  onModuleInit(): void {
    startInterval(this.schedules, HEARTBEAT, this.heartbeatMs, () => void this.heartbeat());
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, HEARTBEAT);
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    if (this.draining) {
      socket.close(1001, 'Server shutting down');
      return;
    }
    const connection = new LiveConnection(socket, principalOf<UserPrincipal>(request), this.maxBufferedBytes);
    this.connections.set(socket, connection);
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data: RawData) => this.receive(connection, data));
    socket.on('error', (error) => this.logger.debug(`Dashboard socket: ${error.message}`));
  }

  handleDisconnect(socket: WebSocket): void {
    const connection = this.connections.get(socket);
    if (!connection) return;
    this.connections.delete(socket);
    connection.closed = true;
    this.hub.leaveAll(connection);
  }

  /** Dashboards being served on this instance (not those being closed, such as slow consumers told 4008). */
  connectionCount(): number {
    let open = 0;
    for (const socket of this.connections.keys()) if (socket.readyState === socket.OPEN) open++;
    return open;
  }

  /** Shutdown: every dashboard is told 1001 (going away) and may reconnect to another instance. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    stopInterval(this.schedules, HEARTBEAT);
    await Promise.all([...this.connections.keys()].map((socket) => closeGoingAway(socket, CLOSE_GRACE_MS)));
  }

  private receive(connection: LiveConnection, data: RawData): void {
    connection.alive = true;
    const text = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString();
    const frame = parseClientFrame(text);
    if ('error' in frame) {
      connection.send({ type: 'error', code: 'invalid_message', message: frame.error });
      return;
    }
    if (connection.pending >= MAX_PENDING_FRAMES) {
      connection.send({ type: 'error', code: 'too_many_requests', message: 'Too many requests in flight; wait for the answers' });
      return;
    }
    connection.enqueue(async () => {
      try {
        if (frame.type === 'subscribe') await this.subscriptions.subscribe(connection, frame.topics);
        else this.subscriptions.unsubscribe(connection, frame.topics);
      } catch (error) {
        this.logger.warn(`A dashboard ${frame.type} failed: ${(error as Error).message}`);
        connection.send({ type: 'error', code: 'unavailable', message: `Could not ${frame.type} now; retry` });
      }
    });
  }

  private async heartbeat(): Promise<void> {
    const fair = this.ticks.peersHadTheirChance();
    await inSlices(this.connections.values(), PINGS_PER_TURN, (connection) => {
      // A closing socket (a slow consumer being told 4008) is ended by its own grace, not cut here.
      if (connection.socket.readyState !== connection.socket.OPEN) return;
      if (!connection.alive && fair) {
        connection.socket.terminate();
        return;
      }
      connection.alive = false;
      connection.socket.ping();
    });
  }
}
