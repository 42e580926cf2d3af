import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The machine's Redis (CONTRACT: real software in tests). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A key prefix of its own on the test Redis, so specs and runs never see each other's keys and
 * channels, and a client to look at (and at the end delete) what the apps wrote under it. The env
 * also carries one NOTIFY_SECRET_KEY, as a deployment of several instances must (docs/deployment.md):
 * each test app has a DATA_DIR of its own, and a key generated there would leave every other
 * instance unable to read the channels it saved, so a notification claimed elsewhere would fail.
 */
export function sharedRedis(spec: string) {
  const prefix = `dockpulse-test:${spec}:${randomUUID().slice(0, 8)}:`;
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  return {
    prefix,
    env: { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, NOTIFY_SECRET_KEY: `notify-key-of-${prefix}` },
    client,
    async close(): Promise<void> {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length) await client.del(...keys);
      await client.quit();
    },
  };
}
