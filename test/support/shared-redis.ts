import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The machine's Redis (CONTRACT: real software in tests). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A key prefix of its own on the test Redis, so specs and runs never see each other's keys and
 * channels, and a client to look at (and at the end delete) what the apps wrote under it.
 */
export function sharedRedis(spec: string) {
  const prefix = `dockpulse-test:${spec}:${randomUUID().slice(0, 8)}:`;
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  return {
    prefix,
    env: { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix },
    client,
    async close(): Promise<void> {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length) await client.del(...keys);
      await client.quit();
    },
  };
}
