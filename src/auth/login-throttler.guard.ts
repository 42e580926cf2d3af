import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { parseDuration } from '../config/duration.js';

/**
 * Brute-force guard for login: at most LOGIN_THROTTLE_LIMIT attempts per client address and email
 * within LOGIN_THROTTLE_WINDOW (sliding), answered 429 with Retry-After beyond that. Keyed on both,
 * so one attacker cannot lock out everyone behind the same address.
 *
 * Hand-written rather than @nestjs/throttler: that package is CommonJS only and cannot load the
 * ESM-only NestJS 12 under Jest on Node 20 ("Must use import to load ES Module").
 */
@Injectable()
export class LoginThrottlerGuard implements CanActivate {
  private readonly attempts = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private lastSweep = 0;

  constructor(config: ConfigService<Environment, true>) {
    this.limit = config.getOrThrow('LOGIN_THROTTLE_LIMIT', { infer: true });
    this.windowMs = parseDuration(config.getOrThrow('LOGIN_THROTTLE_WINDOW', { infer: true }))!;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest();
    const email = typeof request.body?.email === 'string' ? request.body.email.trim().toLowerCase() : '';
    const now = Date.now();
    this.sweep(now);
    const key = `${request.ip}|${email}`;
    const recent = (this.attempts.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      const retryAfter = Math.ceil((recent[0] + this.windowMs - now) / 1000);
      http.getResponse().setHeader('Retry-After', String(retryAfter));
      throw new HttpException(`Too many login attempts; try again in ${retryAfter} seconds`, HttpStatus.TOO_MANY_REQUESTS);
    }
    recent.push(now);
    this.attempts.set(key, recent);
    return true;
  }

  /** Forgets keys with no attempt inside the window, so memory stays bounded by recent traffic. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, times] of this.attempts) if (times[times.length - 1] <= now - this.windowMs) this.attempts.delete(key);
  }
}
