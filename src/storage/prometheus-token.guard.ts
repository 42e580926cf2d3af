import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Environment } from '../config/environment.js';
import { bearerToken } from '../tokens/token.service.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** With METRICS_TOKEN set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; 401 otherwise. Open when unset. */
@Injectable()
export class PrometheusTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: ConfigService<Environment, true>) {
    const token = config.get('METRICS_TOKEN', { infer: true });
    this.expected = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const presented = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (presented && timingSafeEqual(digest(presented), this.expected)) return true;
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new UnauthorizedException('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
  }
}
