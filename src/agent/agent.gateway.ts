import { BeforeApplicationShutdown, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { principalOf } from '../common/authenticating-ws.adapter.js';
import { closeGoingAway } from '../common/close-going-away.js';
import type { AgentPrincipal } from '../common/principal.js';
import type { Environment } from '../config/environment.js';
import { ConnectionLedger } from '../gap-ledger/connection-ledger.js';
import { RefusalLedger } from '../gap-ledger/refusal-ledger.js';
import { FrameProcessor } from '../ingest/frame-processor.js';
import { MAX_ITEMS, MAX_PAYLOAD_BYTES, type ServerFrame } from '../ingest/protocol.js';
import { AgentConnections } from './agent-connections.js';
import { ShutdownDeadline } from './shutdown-deadline.js';

const CLOSE_GRACE_MS = 3_000;
/** After giving up on uncommitted frames, how long their `unavailable` answers get to go out. */
const ANSWER_GRACE_MS = 250;

/** Resolves when `promise` settles or after `ms`, whichever comes first, leaving no timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(timer);
}

/**
 * `/agent`: one socket per host (authenticated on the upgrade by AuthenticatingWsAdapter). Knows
 * the transport only: frames go to the FrameProcessor, each answer goes back as soon as it is
 * known (acks only once durable). Oversized frames close the socket with 1009 (ws maxPayload).
 */
@WebSocketGateway({ path: '/agent', maxPayload: MAX_PAYLOAD_BYTES })
export class AgentGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(AgentGateway.name);
  private readonly inFlight = new Set<Promise<void>>();
  /** Sockets not read until a rate-limited host has tokens again. */
  private readonly heldBack = new Map<WebSocket, NodeJS.Timeout>();
  /** Half a heartbeat: a socket held back longer would miss its pong and be dropped. */
  private readonly maxHoldBackMs: number;
  private draining = false;
  private closing?: Promise<void>;

  constructor(
    private readonly processor: FrameProcessor,
    private readonly connections: AgentConnections,
    private readonly buffer: BatchingBuffer,
    private readonly deadline: ShutdownDeadline,
    config: ConfigService<Environment, true>,
    private readonly connectionLedger: ConnectionLedger,
    private readonly refusalLedger: RefusalLedger,
  ) {
    this.maxHoldBackMs = config.getOrThrow('AGENT_HEARTBEAT_MS', { infer: true }) / 2;
  }

  onModuleInit(): void {
    this.deadline.onBegin(() => void this.shutDown());
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const agent = principalOf<AgentPrincipal>(request);
    if (this.draining) {
      socket.close(1001, 'Server shutting down');
      return;
    }
    this.connections.attach(agent, socket);
    socket.on('message', (data: RawData) => this.receive(agent, socket, data));
    socket.on('error', (error) => this.logger.debug(`Agent socket of host ${agent.hostId}: ${error.message}`));
    this.send(socket, {
      type: 'welcome',
      hostId: agent.hostId,
      serverTime: new Date().toISOString(),
      limits: { maxPayloadBytes: MAX_PAYLOAD_BYTES, maxItems: MAX_ITEMS },
    });
  }

  handleDisconnect(socket: WebSocket): void {
    this.connections.detach(socket);
    clearTimeout(this.heldBack.get(socket));
    this.heldBack.delete(socket);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.deadline.begin();
    await this.shutDown();
  }

  /**
   * SIGTERM: stop reading, commit and acknowledge what was accepted, then close with 1001, all
   * within SHUTDOWN_TIMEOUT. What the database has not committed when the time for the close
   * handshakes comes is given up: answered `unavailable` (never acked), for the agent to resend.
   */
  private shutDown(): Promise<void> {
    return (this.closing ??= this.closeAll());
  }

  private async closeAll(): Promise<void> {
    this.draining = true;
    const sockets = this.connections.sockets();
    for (const socket of sockets) socket.pause();
    const closeMs = Math.min(CLOSE_GRACE_MS, this.deadline.timeoutMs / 4);
    const drainMs = () => this.deadline.remainingMs() - closeMs - ANSWER_GRACE_MS;
    await Promise.all([this.buffer.drain(drainMs()), within(Promise.all([...this.inFlight]), drainMs())]);
    await this.buffer.drain(drainMs());
    // Frames still inside a handler (waiting on the database before reaching the buffer) are not waited for.
    await within(Promise.all([...this.inFlight]), Math.min(ANSWER_GRACE_MS, this.deadline.remainingMs() - closeMs));
    await Promise.all(sockets.map((socket) => closeGoingAway(socket, Math.min(closeMs, this.deadline.remainingMs()))));
    await within(this.connections.flushPresence(), this.deadline.remainingMs());
    await within(Promise.all([this.connectionLedger.flush(), this.refusalLedger.flush()]), this.deadline.remainingMs());
  }

  private receive(agent: AgentPrincipal, socket: WebSocket, data: RawData): void {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const work = this.processor
      .processBytes(agent, bytes)
      .then((answer) => {
        this.send(socket, answer);
        if (answer.type === 'error' && answer.code === 'rate_limited') this.holdBack(socket, answer.retryAfterMs!);
      })
      .catch((error: Error) => this.logger.error(`Answering a frame failed: ${error.stack}`))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /**
   * A host past its rate is not read until it has tokens again (or for half a heartbeat): what it
   * keeps sending waits in its own buffers instead of costing this process a parse per frame, and
   * is answered once read.
   */
  private holdBack(socket: WebSocket, ms: number): void {
    clearTimeout(this.heldBack.get(socket));
    socket.pause();
    const timer = setTimeout(
      () => {
        this.heldBack.delete(socket);
        if (!this.draining) socket.resume();
      },
      Math.min(ms, this.maxHoldBackMs),
    );
    this.heldBack.set(socket, timer.unref());
  }

  private send(socket: WebSocket, frame: ServerFrame): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  }
}
