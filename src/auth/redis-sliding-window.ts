import { createHash, randomUUID } from 'node:crypto';
import type { RedisConnection } from '../redis/redis-connection.js';
import { defineScript } from '../redis/redis-script.js';
import type { AttemptWindow } from './attempt-window.js';
import { SlidingWindow } from './sliding-window.js';

/** SlidingWindow.take on a sorted set of attempt times (member `<at>:<unique>`), atomically. */
const TAKE = `
local now, windowMs, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + windowMs - now
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], windowMs)
return 0
`;

/** SlidingWindow.giveBack: removes one attempt recorded at exactly `at`. */
const GIVE_BACK = `
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
if found[1] then redis.call('ZREM', KEYS[1], found[1]) end
return 0
`;

/**
 * A sliding window shared by every instance (`<prefix>login:<name>:<sha256 of key>`), so login attempts count
 * wherever the load balancer sends them. Times are the instances' clocks. While Redis is
 * unreachable each instance counts alone, in memory: throttling loosens to one budget per instance
 * rather than refusing every login or letting every one through.
 */
export class RedisSlidingWindow implements AttemptWindow {
  private readonly take_: ReturnType<typeof defineScript>;
  private readonly giveBack_: ReturnType<typeof defineScript>;
  private readonly fallback: SlidingWindow;

  constructor(
    private readonly redis: RedisConnection,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    this.take_ = defineScript(redis.client, 'dockpulseSlidingWindowTake', 1, TAKE);
    this.giveBack_ = defineScript(redis.client, 'dockpulseSlidingWindowGiveBack', 1, GIVE_BACK);
    this.fallback = new SlidingWindow(limit, windowMs);
  }

  async take(key: string, now: number): Promise<number> {
    if (!this.redis.connected) return this.fallback.take(key, now);
    try {
      return Number(await this.take_(this.key(key), now, this.windowMs, this.limit, `${now}:${randomUUID()}`));
    } catch {
      return this.fallback.take(key, now);
    }
  }

  async giveBack(key: string, at: number): Promise<void> {
    this.fallback.giveBack(key, at);
    if (this.redis.connected) await this.giveBack_(this.key(key), at).catch(() => undefined);
  }

  /** Hashed: the key holds an email address, which has no business in Redis's keyspace. */
  private key(key: string): string {
    return this.redis.key(`login:${this.name}:${createHash('sha256').update(key).digest('base64url')}`);
  }
}
