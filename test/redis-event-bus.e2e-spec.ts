import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import type { LiveFrame } from '../src/events/event-bus.js';
import { RedisEventBus } from '../src/events/redis-event-bus.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { PrivateRedis } from './support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** One instance's bus on its own connection, as an application would wire it. */
function instance(url: string, keyPrefix: string) {
  const redis = new RedisConnection({ url, keyPrefix });
  const schedules = new SchedulerRegistry();
  const bus = new RedisEventBus(redis, schedules);
  bus.onModuleInit();
  return {
    redis,
    bus,
    close: async () => {
      bus.onModuleDestroy();
      await redis.onApplicationShutdown();
    },
  };
}

describe('RedisEventBus between two instances', () => {
  let server: PrivateRedis;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    const prefix = `bus-${randomUUID()}:`;
    [a, b] = [instance(server.url, prefix), instance(server.url, prefix)];
    await eventually(() => a.redis.connected && b.redis.connected, 10_000, 'both connected');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  it('delivers a frame published on one instance once to listeners on both, and tracks who listens', async () => {
    const topic = `container:${randomUUID()}:metrics`;
    expect(a.bus.hasSubscribers(topic)).toBe(false);
    const onA: LiveFrame[] = [];
    const onB: LiveFrame[] = [];
    const stopB = b.bus.subscribe(topic, (_topic, frame) => onB.push(frame));
    await eventually(() => a.bus.hasSubscribers(topic), 2_000, 'a learns that b listens');
    const stopA = a.bus.subscribe(topic, (_topic, frame) => onA.push(frame));

    a.bus.publish(topic, { type: 'metrics', data: [{ n: 1 }] });
    expect(onA).toEqual([{ type: 'metrics', data: [{ n: 1 }] }]); // local listeners at once, in the publisher's call
    await eventually(() => onB.length === 1, 2_000, 'b receives');
    b.bus.publish(topic, { type: 'metrics', data: [{ n: 2 }] });
    await eventually(() => onA.length === 2, 2_000, 'a receives');
    await sleep(200);
    expect(onA.map((f) => (f.data as { n: number }[])[0].n)).toEqual([1, 2]);
    expect(onB.map((f) => (f.data as { n: number }[])[0].n)).toEqual([1, 2]);

    stopB();
    stopA();
    await eventually(() => !a.bus.hasSubscribers(topic) && !b.bus.hasSubscribers(topic), 2_000, 'nobody listens any more');
    a.bus.publish(topic, { type: 'metrics', data: [{ n: 3 }] });
    await sleep(200);
    expect(onB).toHaveLength(2);
  });

  it('carries a frame whose data its publisher serialized (json) as the same data, not as a string', async () => {
    const topic = `container:${randomUUID()}:metrics`;
    const onB: LiveFrame[] = [];
    const stopB = b.bus.subscribe(topic, (_topic, frame) => onB.push(frame));
    await eventually(() => a.bus.hasSubscribers(topic), 2_000, 'a learns that b listens');
    a.bus.publish(topic, { type: 'metrics', json: '[{"n":1,"s":"a \\"b\\""}]' });
    await eventually(() => onB.length === 1, 2_000, 'b receives');
    expect(onB).toEqual([{ type: 'metrics', data: [{ n: 1, s: 'a "b"' }] }]);
    stopB();
  });

  it('resumes delivering live frames after Redis restarts, without restarting the instances', async () => {
    const topic = `host:${randomUUID()}:metrics`;
    const onB: number[] = [];
    const stop = b.bus.subscribe(topic, (_topic, frame) => onB.push(frame.data as number));
    await eventually(() => a.bus.hasSubscribers(topic), 2_000, 'a learns that b listens');
    a.bus.publish(topic, { type: 'host_metrics', data: 1 });
    await eventually(() => onB.includes(1), 2_000, 'delivery before the restart');

    await server.stop();
    await eventually(() => !a.redis.connected && !b.redis.connected, 5_000, 'both see Redis gone');
    a.bus.publish(topic, { type: 'host_metrics', data: 2 }); // lost: nobody can carry it, and nothing throws
    await server.restart();
    await eventually(() => a.redis.connected && b.redis.connected, 15_000, 'both reconnected');

    // The restarted Redis knows no subscriptions and no interest: both come back by themselves.
    let sent = 3;
    const deadline = Date.now() + 10_000;
    while (!onB.some((n) => n >= 3) && Date.now() < deadline) {
      a.bus.publish(topic, { type: 'host_metrics', data: sent++ });
      await sleep(100);
    }
    expect(onB.some((n) => n >= 3)).toBe(true);
    expect(onB).not.toContain(2);
    stop();
  }, 60_000);
});
