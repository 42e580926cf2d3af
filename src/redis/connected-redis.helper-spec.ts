import { randomUUID } from 'node:crypto';
import { RedisConnection } from './redis-connection.js';

/** A connection to the shared test Redis (127.0.0.1:6379) under a prefix of its own, once connected. */
export async function connectedRedis(): Promise<RedisConnection> {
  const redis = new RedisConnection({ url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: `test-${randomUUID()}:` });
  await new Promise<void>((resolve) => {
    if (redis.connected) return resolve();
    const stop = redis.onConnectionChange((up) => up && (stop(), resolve()));
  });
  return redis;
}
