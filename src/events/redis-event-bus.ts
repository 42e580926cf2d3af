import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../common/intervals.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { EventBus, frameText, type BusListener, type LiveFrame } from './event-bus.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { RemoteInterest, type InterestMessage } from './remote-interest.js';

const INTEREST_REFRESH_MS = 10_000;
const REFRESHER = 'live-interest-refresh';
const TOPIC_CHANNEL = 'live:';
const INTEREST_CHANNEL = 'live-interest';

/**
 * The bus of several instances: Redis pub/sub, one channel per topic (`<prefix>live:<topic>`).
 *
 * Local listeners get a frame at once, in the publisher's call, exactly as on the in-process bus;
 * the frame also goes to Redis once (serialized once), tagged with this instance's id so that its
 * echo, received because this instance listens on that channel too, is dropped. Delivering local
 * frames through Redis instead would add a round trip to every dashboard sharing its instance with
 * the agent, and stop them whenever Redis is down.
 *
 * An instance subscribes to a topic's channel only while it has local listeners. Which topics other
 * instances listen to travels on `<prefix>live-interest` (RemoteInterest), so a frame nobody
 * anywhere reads is neither built nor published. After a Redis restart, ioredis resubscribes and
 * the instances exchange their topics again (hello); frames published during the outage are lost,
 * as live frames are for a dashboard that reconnects.
 */
export class RedisEventBus extends EventBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisEventBus.name);
  private readonly local = new InProcessEventBus();
  private readonly topics = new Map<string, number>();
  private readonly remote = new RemoteInterest(3 * INTEREST_REFRESH_MS);
  private readonly prefix: string;
  private readonly echo: string;
  private publishFailures = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly schedules: SchedulerRegistry,
  ) {
    super();
    this.prefix = redis.channel(TOPIC_CHANNEL);
    this.echo = `${redis.instanceId}\n`;
  }

  onModuleInit(): void {
    const subscriber = this.redis.subscriber;
    subscriber.on('message', (channel: string, message: string) => this.received(channel, message));
    this.redis.onConnectionChange((connected) => connected && this.reconnected());
    if (this.redis.connected) this.reconnected();
    void subscriber.subscribe(this.redis.channel(INTEREST_CHANNEL)).catch((error: Error) => this.logger.warn(`Subscribing to live interest failed: ${error.message}`));
    startInterval(this.schedules, REFRESHER, INTEREST_REFRESH_MS, () => this.refresh());
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, REFRESHER);
    if (this.topics.size) this.announce({ i: this.redis.instanceId, all: [] });
  }

  publish(topic: string, frame: LiveFrame): void {
    this.local.publish(topic, frame);
    if (!this.remote.has(topic) || !this.redis.connected) return;
    this.redis.client.publish(this.prefix + topic, this.echo + frameText(frame)).catch((error: Error) => this.publishFailed(error));
  }

  subscribe(topic: string, listener: BusListener): () => void {
    const remove = this.local.subscribe(topic, listener);
    const count = (this.topics.get(topic) ?? 0) + 1;
    this.topics.set(topic, count);
    if (count === 1) {
      void this.redis.subscriber.subscribe(this.prefix + topic).catch((error: Error) => this.logger.warn(`Subscribing to ${topic} failed: ${error.message}`));
      this.announce({ i: this.redis.instanceId, add: [topic] });
    }
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      remove();
      const left = this.topics.get(topic)! - 1;
      if (left > 0) return void this.topics.set(topic, left);
      this.topics.delete(topic);
      void this.redis.subscriber.unsubscribe(this.prefix + topic).catch(() => undefined);
      this.announce({ i: this.redis.instanceId, del: [topic] });
    };
  }

  hasSubscribers(topic: string): boolean {
    return this.local.hasSubscribers(topic) || this.remote.has(topic);
  }

  private received(channel: string, message: string): void {
    if (channel.startsWith(this.prefix)) {
      if (message.startsWith(this.echo)) return;
      const frame = parse<LiveFrame>(message.slice(message.indexOf('\n') + 1));
      if (frame) this.local.publish(channel.slice(this.prefix.length), frame);
      return;
    }
    const interest = parse<InterestMessage>(message);
    if (!interest || interest.i === this.redis.instanceId) return;
    if (this.remote.apply(interest, Date.now())) this.announce({ i: this.redis.instanceId, all: [...this.topics.keys()] });
  }

  private reconnected(): void {
    this.publishFailures = 0;
    this.announce({ i: this.redis.instanceId, all: [...this.topics.keys()], hello: true });
  }

  private refresh(): void {
    this.remote.expire(Date.now());
    this.announce({ i: this.redis.instanceId, all: [...this.topics.keys()] });
  }

  private announce(message: InterestMessage): void {
    if (!this.redis.connected) return;
    this.redis.client.publish(this.redis.channel(INTEREST_CHANNEL), JSON.stringify(message)).catch((error: Error) => this.publishFailed(error));
  }

  /** One warning per outage: frames are lost while Redis is away, and saying so per frame would flood the log. */
  private publishFailed(error: Error): void {
    if (this.publishFailures++ === 0) this.logger.warn(`Publishing live frames to Redis failed (${error.message}); dashboards on other instances miss them until it is back`);
  }
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
