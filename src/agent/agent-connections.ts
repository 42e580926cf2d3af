import { Injectable, Logger, OnModuleDestroy, OnModuleInit, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import { AgentLinks } from '../agent-links/agent-links.js';
import { HeartbeatTicks, PINGS_PER_TURN } from '../common/heartbeat-ticks.js';
import { inSlices } from '../common/in-slices.js';
import { startInterval, stopInterval } from '../common/intervals.js';
import type { AgentPrincipal } from '../common/principal.js';
import type { Environment } from '../config/environment.js';
import { EventBus } from '../events/event-bus.js';
import { ConnectionLedger } from '../gap-ledger/connection-ledger.js';
import { hostTopic } from '../hosts/host-topic.js';
import { HostRevocations } from '../hosts/host-revocations.js';
import { HostsRepository } from '../hosts/hosts.repository.js';
import type { ServerFrame } from '../ingest/protocol.js';
import { AgentDirectory, type HeldSocket } from './agent-directory.js';
import { claimTtlMs } from './agent-directory.provider.js';

/** Close codes of the agent socket beyond the standard ones. */
export const CLOSE_REPLACED = 4001;
export const CLOSE_REVOKED = 4003;
const PRESENCE_BATCH_MS = 50;
const HEARTBEAT = 'agent-heartbeat';

interface LiveAgent {
  agent: AgentPrincipal;
  socket: WebSocket;
  alive: boolean;
  /** Its row in the gap ledger, and its id in the AgentDirectory. */
  connectionId: string;
}

/**
 * The live agent sockets of this instance, one per host: a newer connection replaces an older one
 * (closed with 4001), on this instance or, through the AgentDirectory, on another. Keeps hosts'
 * online state and lastSeenAt, pings every AGENT_HEARTBEAT_MS and drops a peer that missed a pong,
 * and closes a host's socket as soon as its token is revoked.
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
  /** Closed sockets whose release (across instances) is under way: their offline follows it. */
  private readonly releasing = new Set<Promise<void>>();

  constructor(
    private readonly hosts: HostsRepository,
    private readonly hostRevocations: HostRevocations,
    config: ConfigService<Environment, true>,
    private readonly bus: EventBus,
    private readonly schedules: SchedulerRegistry,
    private readonly ledger: ConnectionLedger,
    private readonly directory: AgentDirectory,
  ) {
    this.heartbeatMs = config.getOrThrow('AGENT_HEARTBEAT_MS', { infer: true });
    this.ticks = new HeartbeatTicks(this.heartbeatMs);
  }

  onModuleInit(): void {
    startInterval(this.schedules, HEARTBEAT, this.heartbeatMs, () => void this.heartbeat());
    this.revocations = this.hostRevocations.revoked$.subscribe((hostId) => {
      if (this.byHost.has(hostId)) this.revoked(hostId);
      else if (this.directory.spansInstances) void this.directory.revokeElsewhere(hostId);
    });
    this.directory.serve({
      replaced: (hostId, socketId) => this.replaced(hostId, socketId),
      revoked: (hostId) => this.revoked(hostId),
      sendHere: (hostId, frame) => this.sendHere(hostId, frame),
    });
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
    void this.directory.claim(heldSocket(live));
  }

  detach(socket: WebSocket): void {
    for (const [hostId, live] of this.byHost) {
      if (live.socket !== socket) continue;
      this.byHost.delete(hostId);
      this.ledger.closed(live.connectionId);
      if (!this.directory.spansInstances) return this.wentOffline(hostId);
      // A socket replaced from another instance closes after the newer one claimed the host: no offline.
      const release = this.directory.release(heldSocket(live)).then((free) => {
        if (free && !this.byHost.has(hostId)) this.wentOffline(hostId);
      });
      this.releasing.add(release);
      void release.finally(() => this.releasing.delete(release));
      return;
    }
  }

  async deliver(hostId: string, frame: ServerFrame): Promise<boolean> {
    if (this.sendHere(hostId, frame)) return true;
    return this.directory.spansInstances && this.directory.deliverElsewhere(hostId, frame);
  }

  async reachable(hostId: string): Promise<boolean> {
    if (this.byHost.has(hostId)) return true;
    if (!this.directory.spansInstances) return false;
    try {
      return (await this.directory.heldAnywhere([hostId])).has(hostId);
    } catch (error) {
      throw new ServiceUnavailableException(`Cannot tell which instance holds the agent of host ${hostId}: ${(error as Error).message}`);
    }
  }

  connectedCount(): number {
    return this.byHost.size;
  }

  sockets(): WebSocket[] {
    return [...this.byHost.values()].map((live) => live.socket);
  }

  /** Sends a frame to a host's agent on this instance; false when it is not connected here. */
  private sendHere(hostId: string, frame: ServerFrame): boolean {
    const live = this.byHost.get(hostId);
    if (!live || live.socket.readyState !== live.socket.OPEN) return false;
    live.socket.send(JSON.stringify(frame));
    return true;
  }

  /** A newer socket of the host took over on another instance. */
  private replaced(hostId: string, socketId: string): void {
    const live = this.byHost.get(hostId);
    if (live?.connectionId === socketId) live.socket.close(CLOSE_REPLACED, 'Replaced by a newer connection from this host');
  }

  private revoked(hostId: string): void {
    this.byHost.get(hostId)?.socket.close(CLOSE_REVOKED, 'Agent token revoked');
  }

  private wentOffline(hostId: string): void {
    this.recordPresence(hostId, false);
    this.publishStatus(hostId, 'offline');
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
    await Promise.all(this.releasing);
    clearTimeout(this.presenceTimer);
    if (this.presence.size) await this.writePresence();
  }

  private async writePresence(): Promise<void> {
    const changes = [...this.presence];
    this.presence.clear();
    this.presenceTimer = undefined;
    try {
      for (const online of [true, false]) {
        let hostIds = changes.filter(([, state]) => state === online).map(([hostId]) => hostId);
        if (!online) hostIds = await this.heldNowhere(hostIds);
        if (hostIds.length) await this.hosts.setOnline(hostIds, online);
      }
    } catch (error) {
      // The heartbeat refreshes connected hosts and the stale sweep catches the rest.
      this.logger.warn(`Could not record ${changes.length} host status change(s): ${(error as Error).message}`);
    }
  }

  /**
   * Of hosts whose socket closed here, those no other instance took meanwhile: a host that moved
   * to another instance is not written offline after its new holder wrote it online.
   */
  private async heldNowhere(hostIds: string[]): Promise<string[]> {
    if (!hostIds.length || !this.directory.spansInstances) return hostIds;
    const held = await this.directory.heldAnywhere(hostIds).catch(() => new Set<string>());
    return hostIds.filter((hostId) => !held.has(hostId));
  }

  private async heartbeat(): Promise<void> {
    const answered: LiveAgent[] = [];
    const fair = this.ticks.peersHadTheirChance();
    await inSlices(this.byHost, PINGS_PER_TURN, ([hostId, live]) => {
      if (!live.alive && fair) {
        this.logger.warn(`Agent of host ${hostId} missed a heartbeat; dropping it`);
        live.socket.terminate();
        return;
      }
      answered.push(live);
      live.alive = false;
      live.socket.ping();
    });
    try {
      const held = await this.keepClaims(answered);
      if (held.length) await this.hosts.touch(held);
      // Hosts whose instance died (or whose agent vanished without a close): dashboards hear of it too.
      const stale = await this.hosts.markStaleOffline(new Date(Date.now() - claimTtlMs(this.heartbeatMs)));
      for (const hostId of stale) this.publishStatus(hostId, 'offline');
    } catch (error) {
      this.logger.warn(`Heartbeat bookkeeping failed: ${(error as Error).message}`);
    }
  }

  /**
   * Refreshes this instance's claims in the directory and closes sockets a newer one on another
   * instance took over (in case its replace message was lost); answers the hosts still held here.
   */
  private async keepClaims(answered: LiveAgent[]): Promise<string[]> {
    if (!this.directory.spansInstances) return answered.map((live) => live.agent.hostId);
    const lost = new Set((await this.directory.refresh(answered.map(heldSocket))).map((socket) => socket.socketId));
    for (const live of answered) if (lost.has(live.connectionId)) this.replaced(live.agent.hostId, live.connectionId);
    return answered.filter((live) => !lost.has(live.connectionId)).map((live) => live.agent.hostId);
  }
}

const heldSocket = (live: LiveAgent): HeldSocket => ({ hostId: live.agent.hostId, socketId: live.connectionId });
