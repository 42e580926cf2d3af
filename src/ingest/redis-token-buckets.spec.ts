import type { RedisConnection } from '../redis/redis-connection.js';
import { connectedRedis } from '../redis/connected-redis.helper-spec.js';
import { RedisTokenBuckets } from './redis-token-buckets.js';
import { InMemoryTokenBuckets } from './token-buckets.js';

describe('RedisTokenBuckets (real Redis)', () => {
  let redis: RedisConnection;
  beforeAll(async () => (redis = await connectedRedis()));
  afterAll(() => redis.onApplicationShutdown());

  it('answers exactly what the in-memory buckets answer, step by step', async () => {
    const shared = new RedisTokenBuckets(redis, 0.1, 50);
    const local = new InMemoryTokenBuckets(0.1, 50);
    const steps: [string, number, number][] = [
      ['a', 21, 0],
      ['a', 21, 0],
      ['a', 21, 0],
      ['b', 21, 0],
      ['a', 21, 130],
      ['a', 50, 130],
      ['a', 200, 500],
      ['a', 1, 10_000],
      ['a', 49, 10_000],
      ['a', 2, 10_005],
    ];
    const answers = [];
    for (const [key, cost, now] of steps) answers.push([await shared.take(key, cost, now), local.take(key, cost, now)]);
    expect(answers.map(([redisAnswer]) => redisAnswer)).toEqual(answers.map(([, memoryAnswer]) => memoryAnswer));
    expect(answers.map(([redisAnswer]) => redisAnswer)).toEqual([0, 0, 130, 0, 0, 500, 130, 0, 0, 15]);
  });

  it('counts one budget for a key whichever instance takes from it, atomically', async () => {
    const [one, two] = [new RedisTokenBuckets(redis, 0.001, 10), new RedisTokenBuckets(redis, 0.001, 10)];
    const now = Date.now();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).take('host', 1, now)));
    expect(answers.filter((wait) => wait === 0)).toHaveLength(10);
    expect(answers.filter((wait) => wait > 0)).toHaveLength(10);
  });

  it('expires an idle bucket once it would be full again', async () => {
    const buckets = new RedisTokenBuckets(redis, 1, 5);
    await buckets.take('idle', 1, Date.now());
    const ttl = await redis.client.pttl(redis.key('rate:agent:idle'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_005);
  });
});
