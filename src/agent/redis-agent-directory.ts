import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ServerFrame } from '../ingest/protocol.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { defineScript } from '../redis/redis-script.js';
import { controlChannelName, holderOf, hostKeyName, parseHolder, type AgentControlMessage } from './agent-control.js';
import { AgentDirectory, type HeldSocket, type SocketHolder } from './agent-directory.js';
import { CLAIM, REFRESH, RELEASE } from './agent-directory.scripts.js';

/** How long an instance asked to deliver a command has to say it did. */
const DELIVERY_TIMEOUT_MS = 3_000;
/** Keys per refresh script: bounds one script's time inside Redis. */
const REFRESH_BATCH = 1_000;

/**
 * The directory across instances: `agents:host:<hostId>` names the instance and socket holding the
 * host (expiring unless the holder's heartbeat refreshes it, so a dead instance's claims go away),
 * and each instance listens on its own control channel for replace, revoke and command messages.
 */
export class RedisAgentDirectory extends AgentDirectory implements OnModuleDestroy {
  readonly spansInstances = true;
  private readonly logger = new Logger(RedisAgentDirectory.name);
  private readonly channel: string;
  private readonly waiting = new Map<string, (ok: boolean) => void>();
  private readonly claimScript: ReturnType<typeof defineScript>;
  private readonly releaseScript: ReturnType<typeof defineScript>;
  private holder?: SocketHolder;
  private failing = false;

  constructor(
    private readonly redis: RedisConnection,
    /** How long a claim outlives the last heartbeat of its holder. */
    private readonly claimTtlMs: number,
  ) {
    super();
    this.channel = redis.channel(controlChannelName(redis.instanceId));
    this.claimScript = defineScript(redis.client, 'dockpulseClaimHost', 1, CLAIM);
    this.releaseScript = defineScript(redis.client, 'dockpulseReleaseHost', 1, RELEASE);
  }

  serve(holder: SocketHolder): void {
    this.holder = holder;
    this.redis.subscriber.on('message', this.onMessage);
    // The subscriber queues this while Redis is away and subscribes again after every reconnect.
    void this.redis.subscriber.subscribe(this.channel).catch((error: Error) => this.logger.warn(`Subscribing to ${this.channel} failed: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.holder) return;
    this.redis.subscriber.off('message', this.onMessage);
    await this.redis.subscriber.unsubscribe(this.channel).catch(() => undefined);
    for (const settle of this.waiting.values()) settle(false);
  }

  async claim({ hostId, socketId }: HeldSocket): Promise<void> {
    const previous = await this.run('claiming', () => this.claimScript(this.key(hostId), this.holderOf(socketId), this.claimTtlMs) as Promise<string | null>);
    if (!previous) return;
    const { instanceId, socketId: older } = parseHolder(previous);
    // A replacement on this instance already closed the older socket (AgentConnections.attach).
    if (instanceId !== this.redis.instanceId) await this.tell(instanceId, { type: 'replace', hostId, socketId: older });
  }

  async release({ hostId, socketId }: HeldSocket): Promise<boolean> {
    // Redis away: announce the host offline, as a single instance would; its new holder's heartbeat corrects it.
    const freed = await this.run('releasing', () => this.releaseScript(this.key(hostId), this.holderOf(socketId)) as Promise<number>);
    return freed !== 0;
  }

  async refresh(sockets: HeldSocket[]): Promise<HeldSocket[]> {
    const lost: HeldSocket[] = [];
    for (let start = 0; start < sockets.length; start += REFRESH_BATCH) {
      const batch = sockets.slice(start, start + REFRESH_BATCH);
      const keys = batch.map((socket) => this.key(socket.hostId));
      const holders = batch.map((socket) => this.holderOf(socket.socketId));
      // A key count that varies per call: plain EVAL (ioredis caches nothing for it; the script is short).
      const positions = await this.run('refreshing', () => this.redis.client.eval(REFRESH, keys.length, ...keys, this.claimTtlMs, ...holders) as Promise<number[]>);
      for (const position of positions ?? []) lost.push(batch[position - 1]);
    }
    return lost;
  }

  async heldAnywhere(hostIds: string[]): Promise<Set<string>> {
    if (!hostIds.length) return new Set();
    const holders = await this.redis.client.mget(hostIds.map((hostId) => this.key(hostId)));
    return new Set(hostIds.filter((_, index) => holders[index]));
  }

  async deliverElsewhere(hostId: string, frame: ServerFrame): Promise<boolean> {
    const holder = await this.run('looking up', () => this.redis.client.get(this.key(hostId)));
    if (!holder) return false;
    const { instanceId } = parseHolder(holder);
    // A claim of this very instance whose socket is gone: nobody else has it.
    if (instanceId === this.redis.instanceId) return false;
    const requestId = randomUUID();
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), DELIVERY_TIMEOUT_MS);
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        resolve(ok);
      };
      this.waiting.set(requestId, settle);
    });
    // Nobody listening on the holder's channel: that instance died and its claim has not expired yet.
    if (!(await this.tell(instanceId, { type: 'command', requestId, replyTo: this.redis.instanceId, hostId, frame }))) this.waiting.get(requestId)?.(false);
    return answered;
  }

  async revokeElsewhere(hostId: string): Promise<void> {
    const holder = await this.run('looking up', () => this.redis.client.get(this.key(hostId)));
    if (holder) await this.tell(parseHolder(holder).instanceId, { type: 'revoke', hostId });
  }

  private readonly onMessage = (channel: string, text: string): void => {
    if (channel !== this.channel || !this.holder) return;
    let message: AgentControlMessage;
    try {
      message = JSON.parse(text) as AgentControlMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'replace':
        return this.holder.replaced(message.hostId, message.socketId);
      case 'revoke':
        return this.holder.revoked(message.hostId);
      case 'command':
        void this.tell(message.replyTo, { type: 'delivered', requestId: message.requestId, ok: this.holder.sendHere(message.hostId, message.frame) });
        return;
      case 'delivered':
        return this.waiting.get(message.requestId)?.(message.ok);
    }
  };

  /** Publishes to an instance's control channel; resolves whether any instance was listening. */
  private async tell(instanceId: string, message: AgentControlMessage): Promise<boolean> {
    const receivers = await this.run('publishing', () => this.redis.client.publish(this.redis.channel(controlChannelName(instanceId)), JSON.stringify(message)));
    return (receivers ?? 0) > 0;
  }

  /** Runs a Redis command; on failure warns once per outage and resolves undefined. */
  private async run<T>(what: string, command: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await command();
      if (this.failing) this.logger.log('The agent directory reaches Redis again');
      this.failing = false;
      return result;
    } catch (error) {
      if (!this.failing) this.logger.warn(`Agent directory: ${what} failed (${(error as Error).message}); sockets are decided on this instance until Redis is back`);
      this.failing = true;
      return undefined;
    }
  }

  private key(hostId: string): string {
    return this.redis.key(hostKeyName(hostId));
  }

  private holderOf(socketId: string): string {
    return holderOf(this.redis.instanceId, socketId);
  }
}
