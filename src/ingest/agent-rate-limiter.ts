import { Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisTokenBuckets } from './redis-token-buckets.js';
import { InMemoryTokenBuckets, type TokenBuckets } from './token-buckets.js';

/**
 * Items of a frame that cost one more token. A container of a snapshot is validated field by field
 * and upserted into a mutable table (about 35 µs of the server and 150 µs of the database each, so
 * a 200-container snapshot costs 101 tokens: about one a second sustained at the default rate; the
 * reference agent sends one a minute, and on Docker events). Telemetry rows are appended in bulk,
 * one statement per flush, and the buffer bounds what they hold of the database on its own.
 */
const ITEMS_PER_TOKEN = new Map([['containers', 2]]);
const TELEMETRY_ITEMS_PER_TOKEN = 500;

/** What a frame costs against its host's bucket: one token, plus one per ITEMS_PER_TOKEN of its items. */
export function frameCost(type: unknown, data: unknown): number {
  if (!Array.isArray(data)) return 1;
  const perToken = (typeof type === 'string' && ITEMS_PER_TOKEN.get(type)) || TELEMETRY_ITEMS_PER_TOKEN;
  return 1 + Math.floor(data.length / perToken);
}

/**
 * Per-host token bucket weighted by what frames cost (frameCost): AGENT_RATE_LIMIT tokens per
 * second sustained, bursts up to AGENT_RATE_BURST; a small frame costs one token. Over it, the
 * frame is answered `rate_limited` with the wait until its tokens are there. With REDIS_URL the
 * buckets live in Redis and count across instances; the answer is then a promise.
 */
@Injectable()
export class AgentRateLimiter {
  private readonly buckets?: TokenBuckets;

  constructor(config: ConfigService<Environment, true>, @Optional() redis?: RedisConnection) {
    const perMs = config.getOrThrow('AGENT_RATE_LIMIT', { infer: true }) / 1000;
    const burst = config.getOrThrow('AGENT_RATE_BURST', { infer: true });
    if (perMs > 0) this.buckets = redis?.enabled ? new RedisTokenBuckets(redis, perMs, burst) : new InMemoryTokenBuckets(perMs, burst);
  }

  /** 0 when a frame of this cost may go ahead, else milliseconds until it may be resent. */
  take(hostId: string, cost = 1, now = Date.now()): number | Promise<number> {
    return this.buckets ? this.buckets.take(hostId, cost, now) : 0;
  }

  forget(hostId: string): void {
    this.buckets?.forget(hostId);
  }
}
