import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

// Printable ASCII; Node has already trimmed the header's surrounding whitespace.
const KEY = /^[\x20-\x7e]{1,200}$/;

/** Validates an `Idempotency-Key` header value: absent, or 1–200 printable ASCII characters. */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY.test(value)) throw new BadRequestException('Idempotency-Key must be 1 to 200 printable ASCII characters');
  return value;
}

/** The request's optional `Idempotency-Key` header, validated (400 when malformed). */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseIdempotencyKey(ctx.switchToHttp().getRequest<Request>().headers['idempotency-key']),
);
