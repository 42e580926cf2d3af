import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor, Optional, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { tap, type Observable } from 'rxjs';
import type { Environment } from '../config/environment.js';
import { RedisConnection } from '../redis/redis-connection.js';
import type { AttemptWindow } from './attempt-window.js';
import { RedisSlidingWindow } from './redis-sliding-window.js';
import { SlidingWindow } from './sliding-window.js';

/**
 * Login throttling within LOGIN_THROTTLE_WINDOW, answered 429 with Retry-After:
 * - per client address and email, every attempt (LOGIN_THROTTLE_LIMIT): guessing one password;
 * - per client address, failed attempts whatever the email (LOGIN_THROTTLE_ADDRESS_LIMIT): password
 *   spraying. Each attempt is counted before it runs, so a burst in parallel is held too, and given
 *   back unless it ends in 401, so many people behind one NAT logging in successfully never add up.
 * The address is Express's `req.ip`: the socket's peer unless TRUST_PROXY names the proxies in front.
 * With REDIS_URL the windows live in Redis and count across instances.
 *
 * Hand-written rather than @nestjs/throttler: that package is CommonJS only and cannot load the
 * ESM-only NestJS 12 under Jest on Node 20 ("Must use import to load ES Module").
 */
@Injectable()
export class LoginThrottlerInterceptor implements NestInterceptor {
  private readonly perAddressAndEmail: AttemptWindow;
  private readonly failuresPerAddress: AttemptWindow;

  constructor(config: ConfigService<Environment, true>, @Optional() redis?: RedisConnection) {
    const windowMs = config.getOrThrow('ms', { infer: true }).LOGIN_THROTTLE_WINDOW;
    const window = (name: string, limit: number) =>
      redis?.enabled ? new RedisSlidingWindow(redis, name, limit, windowMs) : new SlidingWindow(limit, windowMs);
    this.perAddressAndEmail = window('address-email', config.getOrThrow('LOGIN_THROTTLE_LIMIT', { infer: true }));
    this.failuresPerAddress = window('address-failures', config.getOrThrow('LOGIN_THROTTLE_ADDRESS_LIMIT', { infer: true }));
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const address = request.ip ?? 'unknown';
    const email = typeof request.body?.email === 'string' ? request.body.email.trim().toLowerCase() : '';
    const now = Date.now();

    const addressWait = await this.failuresPerAddress.take(address, now);
    if (addressWait) throw tooMany(response, addressWait, 'Too many login attempts from this address');
    const emailWait = await this.perAddressAndEmail.take(`${address}|${email}`, now);
    if (emailWait) {
      await this.failuresPerAddress.giveBack(address, now);
      throw tooMany(response, emailWait, 'Too many login attempts');
    }
    const notAFailure = () => void this.failuresPerAddress.giveBack(address, now);
    return next.handle().pipe(tap({ next: notAFailure, error: (error) => (error instanceof UnauthorizedException ? undefined : notAFailure()) }));
  }
}

function tooMany(response: Response, waitMs: number, what: string): HttpException {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  response.setHeader('Retry-After', String(seconds));
  return new HttpException(`${what}; try again in ${seconds} seconds`, HttpStatus.TOO_MANY_REQUESTS);
}
