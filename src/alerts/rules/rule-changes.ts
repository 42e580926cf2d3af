import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RedisConnection } from '../../redis/redis-connection.js';

/** May return a promise: `changed` waits for it. */
type Listener = (organizationId: string) => void | Promise<void>;

const CHANNEL = 'alert-rules-changed';

/**
 * Tells the evaluator that an organization's rules or silences changed, so it reloads them now.
 *
 * `changed` resolves once this instance's listeners have reloaded: the API answers a rule's
 * creation only when this instance evaluates with it, so an event accepted right after the answer
 * is judged by the new rule. With REDIS_URL the other instances hear of it on a pub/sub channel
 * and reload too (within a round trip instead of their periodic reread).
 */
@Injectable()
export class RuleChanges implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RuleChanges.name);
  private readonly listeners = new Set<Listener>();
  private readonly channel: string;

  constructor(private readonly redis: RedisConnection) {
    this.channel = redis.channel(CHANNEL);
  }

  onModuleInit(): void {
    if (!this.redis.enabled) return;
    this.redis.subscriber.on('message', this.received);
    void this.redis.subscriber.subscribe(this.channel).catch((error: Error) => this.logger.warn(`Subscribing to ${CHANNEL} failed: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.redis.enabled) return;
    this.redis.subscriber.off('message', this.received);
    await this.redis.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async changed(organizationId: string): Promise<void> {
    if (this.redis.enabled && this.redis.connected) {
      // Other instances still reread every few seconds: a lost message only delays them.
      this.redis.client.publish(this.channel, JSON.stringify({ i: this.redis.instanceId, o: organizationId })).catch((error: Error) => this.logger.warn(`Announcing a rule change failed: ${error.message}`));
    }
    await this.tell(organizationId);
  }

  private readonly received = (channel: string, message: string): void => {
    if (channel !== this.channel) return;
    try {
      const { i, o } = JSON.parse(message) as { i: string; o: string };
      if (i !== this.redis.instanceId && typeof o === 'string') void this.tell(o);
    } catch {
      // Not ours to read: the channel name is prefixed, so only a foreign writer sends garbage here.
    }
  };

  private async tell(organizationId: string): Promise<void> {
    await Promise.all([...this.listeners].map(async (listener) => listener(organizationId)));
  }
}
