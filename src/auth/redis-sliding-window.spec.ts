import type { RedisConnection } from '../redis/redis-connection.js';
import { connectedRedis } from '../redis/connected-redis.helper-spec.js';
import { RedisSlidingWindow } from './redis-sliding-window.js';
import { SlidingWindow } from './sliding-window.js';

describe('RedisSlidingWindow (real Redis)', () => {
  let redis: RedisConnection;
  beforeAll(async () => (redis = await connectedRedis()));
  afterAll(() => redis.onApplicationShutdown());

  it('answers exactly what the in-memory window answers, giving back included', async () => {
    const shared = new RedisSlidingWindow(redis, 'spec', 3, 1_000);
    const local = new SlidingWindow(3, 1_000);
    const answers: number[][] = [];
    const take = async (key: string, now: number) => answers.push([await shared.take(key, now), local.take(key, now)]);
    await take('k', 0);
    await take('k', 100);
    await take('k', 200);
    await take('k', 300); // full: the oldest (0) leaves at 1000
    await take('other', 300);
    await shared.giveBack('k', 100);
    local.giveBack('k', 100);
    await take('k', 400); // room again
    await take('k', 500);
    await take('k', 1_000); // 0 has left, 200 leaves at 1200
    await take('k', 1_001);
    expect(answers.map(([redisAnswer]) => redisAnswer)).toEqual(answers.map(([, memoryAnswer]) => memoryAnswer));
    expect(answers.map(([redisAnswer]) => redisAnswer)).toEqual([0, 0, 0, 700, 0, 0, 500, 0, 199]);
  });

  it('gives back one attempt of that time only, and keeps emails out of key names', async () => {
    const window = new RedisSlidingWindow(redis, 'spec2', 2, 60_000);
    await window.take('1.2.3.4|me@example.com', 10);
    await window.take('1.2.3.4|me@example.com', 10);
    await window.giveBack('1.2.3.4|me@example.com', 10);
    expect(await window.take('1.2.3.4|me@example.com', 20)).toBe(0);
    expect(await window.take('1.2.3.4|me@example.com', 30)).toBe(59_980);
    const keys = await redis.client.keys(`${redis.keyPrefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join()).not.toContain('example.com');
  });
});
