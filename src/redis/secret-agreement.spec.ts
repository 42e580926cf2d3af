import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisConnection } from './redis-connection.js';
import { fingerprintOf } from './secret-agreement.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function instance(prefix: string): Promise<RedisConnection> {
  const redis = new RedisConnection({ url: REDIS_URL, keyPrefix: prefix });
  await new Promise<void>((resolve) => {
    if (redis.connected) return resolve();
    const stop = redis.onConnectionChange((up) => up && (stop(), resolve()));
  });
  return redis;
}

describe('SecretAgreement (instances sharing one Redis)', () => {
  const opened: RedisConnection[] = [];
  let errors: jest.SpiedFunction<Logger['error']>;
  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    errors.mockRestore();
    for (const redis of opened.splice(0)) {
      const keys = await redis.client.keys(redis.key('*'));
      if (keys.length) await redis.client.del(...keys);
      await redis.onApplicationShutdown();
    }
  });
  const start = async (prefix: string) => {
    const redis = await instance(prefix);
    opened.push(redis);
    return redis;
  };

  it('stays quiet while the instances share the secret, and keeps only a fingerprint in Redis', async () => {
    const prefix = `test-${randomUUID()}:`;
    const [a, b] = [await start(prefix), await start(prefix)];
    a.shareSecret('JWT_SECRET', 'the-same-secret-on-every-instance-0123', 'tokens fail');
    b.shareSecret('JWT_SECRET', 'the-same-secret-on-every-instance-0123', 'tokens fail');
    expect(await a.checkSharedSecrets()).toEqual([]);
    expect(await b.checkSharedSecrets()).toEqual([]);
    const stored = await a.client.get(a.key('secret-fingerprint:JWT_SECRET'));
    expect(stored).toBe(fingerprintOf('JWT_SECRET', 'the-same-secret-on-every-instance-0123'));
    expect(stored).not.toContain('secret');
    expect(await a.client.pttl(a.key('secret-fingerprint:JWT_SECRET'))).toBeGreaterThan(60_000);
    expect(errors).not.toHaveBeenCalled();
  });

  it('logs one error naming the variable on the instance that differs, and says when it agrees again', async () => {
    const prefix = `test-${randomUUID()}:`;
    const [a, b] = [await start(prefix), await start(prefix)];
    a.shareSecret('NOTIFY_SECRET_KEY', 'key-of-instance-a-long-enough-0123456789', 'notifications fail');
    expect(await a.checkSharedSecrets()).toEqual([]);
    const logs = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      b.shareSecret('NOTIFY_SECRET_KEY', 'key-of-instance-b-long-enough-0123456789', 'notifications fail');
      expect(await b.checkSharedSecrets()).toEqual(['NOTIFY_SECRET_KEY']);
      expect(await b.checkSharedSecrets()).toEqual(['NOTIFY_SECRET_KEY']);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(errors.mock.calls[0][0]).toMatch(/^NOTIFY_SECRET_KEY differs from the one another instance on this Redis uses .*set the same NOTIFY_SECRET_KEY on every instance.*notifications fail$/);
      // A's fingerprint is not replaced by B's: the first one stands until it expires.
      expect(await a.checkSharedSecrets()).toEqual([]);

      // The instance that held the other one is gone and its fingerprint expired: B's now stands.
      await a.client.del(a.key('secret-fingerprint:NOTIFY_SECRET_KEY'));
      expect(await b.checkSharedSecrets()).toEqual([]);
      expect(logs).toHaveBeenCalledWith('NOTIFY_SECRET_KEY now agrees with the other instances\'');
    } finally {
      logs.mockRestore();
    }
  });

  it('does nothing without Redis', async () => {
    const redis = new RedisConnection({ keyPrefix: 'p:' });
    redis.shareSecret('JWT_SECRET', 'anything-at-all-long-enough-0123456789', 'tokens fail');
    expect(await redis.checkSharedSecrets()).toEqual([]);
    await redis.onApplicationShutdown();
  });
});
