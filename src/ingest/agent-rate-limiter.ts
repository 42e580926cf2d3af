import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';

/**
 * Per-host token bucket on frames: AGENT_RATE_LIMIT frames per second sustained, bursts up to
 * AGENT_RATE_BURST. Over it, the frame is answered `rate_limited` with the wait until a token.
 */
@Injectable()
export class AgentRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly burst: number;

  constructor(config: ConfigService<Environment, true>) {
    this.perMs = config.getOrThrow('AGENT_RATE_LIMIT', { infer: true }) / 1000;
    this.burst = config.getOrThrow('AGENT_RATE_BURST', { infer: true });
  }

  /** 0 when the frame may go ahead, else milliseconds until it may be resent. */
  take(hostId: string, now = Date.now()): number {
    if (this.perMs === 0) return 0;
    const bucket = this.buckets.get(hostId) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(hostId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  forget(hostId: string): void {
    this.buckets.delete(hostId);
  }
}
