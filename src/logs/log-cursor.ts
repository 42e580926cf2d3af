import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** The sort key of a log line: the primary key of container_logs after container_id. */
export interface LogKey {
  /** Microsecond ISO 8601 UTC, as PostgreSQL stores `ts`. */
  ts: string;
  nanos: number;
  stream: string;
  /** The agent's ordinal within (ts, stream), -1 for lines sent without one. */
  n: number;
  lineHash: string;
}

/** What a cursor is bound to: a cursor is only valid for the query that produced it. */
export interface LogQueryIdentity {
  containerId: string;
  q?: string;
  stream?: string;
  from?: string;
  to?: string;
}

export interface LogCursor {
  /** The last line returned; the next page starts strictly below it. */
  after: LogKey;
  /** The first page's resolved `from` (epoch ms), so a default "last hour" does not slide between pages. */
  fromMs: number;
}

interface Encoded {
  v: 2;
  k: [string, number, string, number, string];
  f: number;
  b: string;
}

/** Version 1 (before ordinals) had no `n`: its lines all sort as n = -1. */
interface EncodedV1 {
  v: 1;
  k: [string, number, string, string];
  f: number;
  b: string;
}

const MAX_N = 2_147_483_647;

const MICROS_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAX_CURSOR_LENGTH = 400;

function binding(identity: LogQueryIdentity, fromMs: number): string {
  const parts = [identity.containerId, identity.q ?? null, identity.stream ?? null, identity.from ?? null, identity.to ?? null, fromMs];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeLogCursor(identity: LogQueryIdentity, cursor: LogCursor): string {
  const { ts, nanos, stream, n, lineHash } = cursor.after;
  const encoded: Encoded = { v: 2, k: [ts, nanos, stream, n, lineHash], f: cursor.fromMs, b: binding(identity, cursor.fromMs) };
  return Buffer.from(JSON.stringify(encoded)).toString('base64url');
}

function invalid(reason: string): never {
  throw new BadRequestException(`invalid cursor: ${reason}`);
}

/** Reads a cursor back; 400 when it is malformed or was issued for a different query. */
export function decodeLogCursor(identity: LogQueryIdentity, text: string): LogCursor {
  let value: Partial<Encoded> | Partial<EncodedV1>;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    invalid('not a cursor returned by this endpoint');
  }
  const raw: unknown = value?.k;
  const key = (value?.v === 1 && Array.isArray(raw) && raw.length === 4 ? [raw[0], raw[1], raw[2], -1, raw[3]] : value?.v === 2 ? raw : undefined) as Encoded['k'] | undefined;
  const wellFormed =
    Array.isArray(key) &&
    key.length === 5 &&
    typeof key[0] === 'string' &&
    MICROS_ISO.test(key[0]) &&
    !Number.isNaN(Date.parse(key[0])) &&
    Number.isInteger(key[1]) &&
    key[1] >= 0 &&
    key[1] <= 999 &&
    (key[2] === 'stdout' || key[2] === 'stderr') &&
    Number.isInteger(key[3]) &&
    key[3] >= -1 &&
    key[3] <= MAX_N &&
    typeof key[4] === 'string' &&
    UUID.test(key[4]) &&
    Number.isSafeInteger(value.f) &&
    typeof value.b === 'string';
  if (!wellFormed) invalid('not a cursor returned by this endpoint');
  if (value.b !== binding(identity, value.f!)) invalid('it was issued for a different query (container, q, stream, from or to changed)');
  return { after: { ts: key[0], nanos: key[1], stream: key[2], n: key[3], lineHash: key[4] }, fromMs: value.f! };
}
