import type { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { AgentRateLimiter, frameCost } from './agent-rate-limiter.js';

const limiter = (limit: number, burst: number) =>
  new AgentRateLimiter({ getOrThrow: (key: string) => (key === 'AGENT_RATE_LIMIT' ? limit : burst) } as unknown as ConfigService<Environment, true>);
const items = (n: number) => Array.from({ length: n }, () => ({}));

describe('frameCost', () => {
  it('weighs a snapshot by its containers and telemetry by its rows', () => {
    expect(frameCost('containers', items(200))).toBe(101);
    expect(frameCost('containers', items(1))).toBe(1);
    expect(frameCost('metrics', items(5000))).toBe(11);
    expect(frameCost('logs', items(499))).toBe(1);
    expect(frameCost('hello', undefined)).toBe(1);
    expect(frameCost('constructor', items(1000))).toBe(3);
  });
});

describe('AgentRateLimiter', () => {
  it('takes a frame’s cost from its host’s bucket, and tells how long until the rest is there', () => {
    const rate = limiter(100, 50);
    expect(rate.take('a', 21, 0)).toBe(0);
    expect(rate.take('a', 21, 0)).toBe(0);
    expect(rate.take('a', 21, 0)).toBe(130); // 8 tokens left, 13 more at 100/s
    expect(rate.take('b', 21, 0)).toBe(0); // another host's bucket is its own
    expect(rate.take('a', 21, 130)).toBe(0);
  });

  it('lets a frame costing more than a whole burst through once the bucket is full', () => {
    const rate = limiter(100, 10);
    expect(rate.take('a', 50, 0)).toBe(0);
    expect(rate.take('a', 50, 0)).toBe(100);
    expect(rate.take('a', 50, 100)).toBe(0);
  });

  it('never limits when the rate is 0', () => {
    expect(limiter(0, 0).take('a', 1_000, 0)).toBe(0);
  });
});
