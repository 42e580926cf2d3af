// npm run bench:rate-limit: what the per-frame agent rate limit costs with REDIS_URL, next to the
// in-memory one. Each frame on the ingest path takes its cost from its host's bucket once; with
// Redis that is one Lua script call (auto-pipelined). Measures, on the local Redis (REDIS_URL,
// default redis://127.0.0.1:6379, under a throwaway prefix): one call awaited at a time (the added
// latency of one frame), and 64 frames arriving in one tick (a busy instance), as calls per second
// and server CPU per call. Options: --calls=20000.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AgentRateLimiter } from '../dist/ingest/agent-rate-limiter.js';
import { RedisConnection } from '../dist/redis/redis-connection.js';
import { log, percentile, table } from './lib.mjs';

const { values: opts } = parseArgs({ options: { calls: { type: 'string', default: '20000' } } });
const CALLS = Number(opts.calls);
const BURST = 64;
const config = { getOrThrow: (key) => (key === 'AGENT_RATE_LIMIT' ? 1_000_000 : 1_000_000) };
const hosts = Array.from({ length: 100 }, () => randomUUID());

async function measure(name, limiter) {
  const latencies = [];
  let cpu = process.cpuUsage();
  let started = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const at = performance.now();
    await limiter.take(hosts[i % hosts.length], 1);
    latencies.push((performance.now() - at) * 1000);
  }
  const sequentialCpu = process.cpuUsage(cpu);
  const sequentialRate = CALLS / ((performance.now() - started) / 1000);
  cpu = process.cpuUsage();
  started = performance.now();
  for (let i = 0; i < CALLS; i += BURST) await Promise.all(Array.from({ length: BURST }, (_, j) => limiter.take(hosts[(i + j) % hosts.length], 1)));
  const burstCpu = process.cpuUsage(cpu);
  const burstRate = CALLS / ((performance.now() - started) / 1000);
  latencies.sort((a, b) => a - b);
  return [
    name,
    percentile(latencies, 50).toFixed(1),
    percentile(latencies, 99).toFixed(1),
    Math.round(sequentialRate).toLocaleString('en'),
    ((sequentialCpu.user + sequentialCpu.system) / CALLS).toFixed(1),
    Math.round(burstRate).toLocaleString('en'),
    ((burstCpu.user + burstCpu.system) / CALLS).toFixed(1),
  ];
}

const HEADER = ['limiter', 'one at a time: p50 µs', 'p99 µs', 'calls/s', 'CPU µs/call', `${BURST} in one tick: calls/s`, 'CPU µs/call'];

const redis = new RedisConnection({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: `bench-${randomUUID()}:` });
await new Promise((resolve) => (redis.connected ? resolve() : redis.onConnectionChange((up) => up && resolve())));
log(`rate limit: ${CALLS.toLocaleString('en')} calls each way, ${hosts.length} hosts`);
const rows = [await measure('in memory', new AgentRateLimiter(config)), await measure('Redis', new AgentRateLimiter(config, redis))];
const keys = await redis.client.keys(`${redis.keyPrefix}*`);
if (keys.length) await redis.client.del(...keys);
await redis.onApplicationShutdown();
console.log(table([HEADER, ...rows]));
