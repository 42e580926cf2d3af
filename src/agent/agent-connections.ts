import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import { AgentLinks } from '../agent-links/agent-links.js';
import { HeartbeatTicks } from '../common/heartbeat-ticks.js';
import { startInterval, stopInterval } from '../common/intervals.js';
import type { AgentPrincipal } from '../common/principal.js';
import type { Environment } from '../config/environment.js';
import { EventBus } from '../events/event-bus.js';
import { ConnectionLedger } from '../gap-ledger/connection-ledger.js';
import { hostTopic } from '../hosts/host-topic.js';
import { HostRevocations } from '../hosts/host-revocations.js';
import { HostsRepository } from '../hosts/hosts.repository.js';
import type { ServerFrame } from '../ingest/protocol.js';

/** Close codes of the agent socket beyond the standard ones. */
export const CLOSE_REPLACED = 4001;
export const CLOSE_REVOKED = 4003;
const PRESENCE_BATCH_MS = 50;
const HEARTBEAT = 'agent-heartbeat';

interface LiveAgent {
  agent: AgentPrincipal;
  socket: WebSocket;
  alive: boolean;
  /** Its row in the gap ledger. */
  connectionId: string;
}

/**
 * The live agent sockets of this instance, one per host: a newer connection replaces an older one
 * (closed with 4001). Keeps hosts' online state and lastSeenAt, pings every AGENT_HEARTBEAT_MS and
 * drops a peer that missed a pong, and closes a host's socket as soon as its token is revoked.
 */
@Injectable()
export class AgentConnections implements AgentLinks, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AgentConnections.name);
  private readonly byHost = new Map<string, LiveAgent>();
  private readonly heartbeatMs: number;
  private readonly ticks: HeartbeatTicks;
  private readonly presence = new Map<string, boolean>();
  private presenceTimer?: NodeJS.Timeout;
  private revocations?: Subscription;

  constructor(
    private readonly hosts: HostsRepository,
    private readonly hostRevocations: HostRevocations,
    config: ConfigService<Environment, true>,
    private readonly bus: EventBus,
    private readonly schedules: SchedulerRegistry,
    private readonly ledger: ConnectionLedger,
  ) {
    this.heartbeatMs = config.getOrThrow('AGENT_HEARTBEAT_MS', { infer: true });
    this.ticks = new HeartbeatTicks(this.heartbeatMs);
  }

  onModuleInit(): void {
    startInterval(this.schedules, HEARTBEAT, this.heartbeatMs, () => void this.heartbeat());
    this.revocations = this.hostRevocations.revoked$.subscribe((hostId) => this.byHost.get(hostId)?.socket.close(CLOSE_REVOKED, 'Agent token revoked'));
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, HEARTBEAT);
    clearTimeout(this.presenceTimer);
    this.revocations?.unsubscribe();
  }

  attach(agent: AgentPrincipal, socket: WebSocket): void {
    const previous = this.byHost.get(agent.hostId);
    const live: LiveAgent = { agent, socket, alive: true, connectionId: this.ledger.opened(agent.hostId) };
    this.byHost.set(agent.hostId, live);
    if (previous) this.ledger.closed(previous.connectionId);
    previous?.socket.close(CLOSE_REPLACED, 'Replaced by a newer connection from this host');
    // Any frame proves the peer alive: under heavy load its pong may queue behind its own frames.
    const markAlive = () => (live.alive = true);
    socket.on('pong', markAlive);
    socket.on('message', markAlive);
    this.recordPresence(agent.hostId, true);
    this.publishStatus(agent.hostId, 'online');
  }

  detach(socket: WebSocket): void {
    for (const [hostId, live] of this.byHost) {
      if (live.socket !== socket) continue;
      this.byHost.delete(hostId);
      this.ledger.closed(live.connectionId);
      this.recordPresence(hostId, false);
      this.publishStatus(hostId, 'offline');
      return;
    }
  }

  /** Sends a frame to a host's agent on this instance; false when it is not connected here. */
  send(hostId: string, frame: ServerFrame): boolean {
    const live = this.byHost.get(hostId);
    if (!live || live.socket.readyState !== live.socket.OPEN) return false;
    live.socket.send(JSON.stringify(frame));
    return true;
  }

  isConnected(hostId: string): boolean {
    return this.byHost.has(hostId);
  }

  connectedCount(): number {
    return this.byHost.size;
  }

  sockets(): WebSocket[] {
    return [...this.byHost.values()].map((live) => live.socket);
  }

  /**
   * Dashboards hear of a change at once, not after the presence batch. A replaced socket is no
   * longer in byHost when it closes, so it never announces a false offline.
   */
  private publishStatus(hostId: string, status: 'online' | 'offline'): void {
    const topic = hostTopic(hostId);
    if (this.bus.hasSubscribers(topic)) this.bus.publish(topic, { type: 'host_status', data: { hostId, status, at: new Date().toISOString() } });
  }

  /**
   * Online/offline changes are written in batches (two statements per 50 ms at most), so ten
   * thousand agents connecting or leaving at once do not queue ten thousand updates.
   */
  private recordPresence(hostId: string, online: boolean): void {
    this.presence.set(hostId, online);
    this.presenceTimer ??= setTimeout(() => void this.writePresence(), PRESENCE_BATCH_MS);
  }

  /** Writes pending online/offline changes now (shutdown, after the sockets closed). */
  async flushPresence(): Promise<void> {
    clearTimeout(this.presenceTimer);
    if (this.presence.size) await this.writePresence();
  }

  private async writePresence(): Promise<void> {
    const changes = [...this.presence];
    this.presence.clear();
    this.presenceTimer = undefined;
    try {
      for (const online of [true, false]) {
        const hostIds = changes.filter(([, state]) => state === online).map(([hostId]) => hostId);
        if (hostIds.length) await this.hosts.setOnline(hostIds, online);
      }
    } catch (error) {
      // The heartbeat refreshes connected hosts and the stale sweep catches the rest.
      this.logger.warn(`Could not record ${changes.length} host status change(s): ${(error as Error).message}`);
    }
  }

  private async heartbeat(): Promise<void> {
    const answered: string[] = [];
    const fair = this.ticks.peersHadTheirChance();
    for (const [hostId, live] of this.byHost) {
      if (!live.alive && fair) {
        this.logger.warn(`Agent of host ${hostId} missed a heartbeat; dropping it`);
        live.socket.terminate();
        continue;
      }
      answered.push(hostId);
      live.alive = false;
      live.socket.ping();
    }
    try {
      if (answered.length) await this.hosts.touch(answered);
      await this.hosts.markStaleOffline(new Date(Date.now() - 3 * this.heartbeatMs - 5_000));
    } catch (error) {
      this.logger.warn(`Heartbeat bookkeeping failed: ${(error as Error).message}`);
    }
  }
}
