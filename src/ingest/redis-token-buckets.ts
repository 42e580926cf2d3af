import type { RedisConnection } from '../redis/redis-connection.js';
import { defineScript } from '../redis/redis-script.js';
import { InMemoryTokenBuckets, type TokenBuckets } from './token-buckets.js';

/**
 * The same arithmetic as InMemoryTokenBuckets, in one atomic script on a hash `{t: tokens, at}`.
 * Clocks of instances may differ a little: time never runs backwards for a bucket (`at` only grows).
 * The key expires once a full bucket would have refilled, so idle hosts cost nothing.
 */
const TAKE = `
local perMs, burst, cost, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local held = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens, at = tonumber(held[1]) or burst, tonumber(held[2]) or now
if now > at then tokens = math.min(burst, tokens + (now - at) * perMs); at = now end
local needed = math.min(cost, burst)
local wait = 0
if tokens >= needed then tokens = tokens - needed else wait = math.ceil((needed - tokens) / perMs) end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', at)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
return wait
`;

/**
 * Buckets shared by every instance (`<prefix>rate:agent:<hostId>`), so a host counts once whichever
 * instances its frames reach. While Redis is unreachable each instance counts alone, in memory:
 * limits loosen to one budget per instance rather than refusing every frame.
 */
export class RedisTokenBuckets implements TokenBuckets {
  private readonly script: ReturnType<typeof defineScript>;
  private readonly fallback: InMemoryTokenBuckets;

  constructor(
    private readonly redis: RedisConnection,
    private readonly perMs: number,
    private readonly burst: number,
  ) {
    this.script = defineScript(redis.client, 'dockpulseTokenBucketTake', 1, TAKE);
    this.fallback = new InMemoryTokenBuckets(perMs, burst);
  }

  take(key: string, cost: number, now: number): number | Promise<number> {
    if (!this.redis.connected) return this.fallback.take(key, cost, now);
    return this.script(this.redis.key(`rate:agent:${key}`), this.perMs, this.burst, cost, now).then(
      (wait) => Number(wait),
      () => this.fallback.take(key, cost, now),
    );
  }

  forget(key: string): void {
    this.fallback.forget(key);
  }
}
