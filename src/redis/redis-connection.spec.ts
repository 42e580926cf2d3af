import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { RedisConnection } from './redis-connection.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const until = (connection: RedisConnection, state: boolean) =>
  new Promise<void>((resolve) => {
    if (connection.connected === state) return resolve();
    const stop = connection.onConnectionChange((now) => now === state && (stop(), resolve()));
  });

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('RedisConnection', () => {
  it('without REDIS_URL opens nothing and says it is not connected', async () => {
    const redis = new RedisConnection({ keyPrefix: 'dockpulse:' });
    expect(redis.enabled).toBe(false);
    expect(redis.connected).toBe(false);
    expect(() => redis.client).toThrow(/REDIS_URL/);
    expect(() => redis.subscriber).toThrow(/REDIS_URL/);
    await redis.onApplicationShutdown();
  });

  it('connects both connections, prefixes names, and reports the loss at shutdown', async () => {
    const prefix = `test-${randomUUID()}:`;
    const redis = new RedisConnection({ url: REDIS_URL, keyPrefix: prefix });
    const states: boolean[] = [];
    redis.onConnectionChange((state) => states.push(state));
    await until(redis, true);
    expect(redis.key('ticket:a')).toBe(`${prefix}ticket:a`);
    expect(redis.channel('live:x')).toBe(`${prefix}live:x`);
    expect(redis.instanceId).toMatch(/^[0-9a-f-]{36}$/);

    const received = new Promise<string>((resolve) => redis.subscriber.on('message', (_channel: string, message: string) => resolve(message)));
    await redis.subscriber.subscribe(redis.channel('ping'));
    await until(redis, true);
    await redis.client.publish(redis.channel('ping'), 'pong');
    expect(await received).toBe('pong');

    await redis.onApplicationShutdown();
    expect(redis.connected).toBe(false);
    expect(states).toEqual([true, false]);
  });

  it('does not wait for an unreachable Redis: commands fail at once and it stays disconnected', async () => {
    const redis = new RedisConnection({ url: `redis://127.0.0.1:${await closedPort()}`, keyPrefix: 'dockpulse:' });
    const started = Date.now();
    await expect(redis.client.get(redis.key('x'))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(redis.connected).toBe(false);
    await redis.onApplicationShutdown();
  });

  it('gives different processes different instance ids', () => {
    const a = new RedisConnection({ keyPrefix: 'p:' });
    const b = new RedisConnection({ keyPrefix: 'p:' });
    expect(a.instanceId).not.toBe(b.instanceId);
  });
});
