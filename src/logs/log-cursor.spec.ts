import { BadRequestException } from '@nestjs/common';
import { decodeLogCursor, encodeLogCursor, type LogCursor, type LogQueryIdentity } from './log-cursor.js';

const identity: LogQueryIdentity = { containerId: '0b6f7f9e-3c1a-4f55-9a53-5d1a2b3c4d5e', q: 'Deadlock', stream: 'stderr' };
const cursor: LogCursor = {
  after: { ts: '2026-11-23T10:00:00.123456Z', nanos: 789, stream: 'stderr', n: 3, lineHash: '00000000-0000-0000-0000-000000000000' },
  fromMs: Date.UTC(2026, 10, 23, 9),
};

const reencoded = (patch: (value: Record<string, any>) => void) => {
  const value = JSON.parse(Buffer.from(encodeLogCursor(identity, cursor), 'base64url').toString());
  patch(value);
  return Buffer.from(JSON.stringify(value)).toString('base64url');
};

describe('log cursor', () => {
  it('round-trips the sort key and the first page’s from, as URL-safe text', () => {
    const text = encodeLogCursor(identity, cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeLogCursor(identity, text)).toEqual(cursor);
  });

  it('still reads a cursor issued before ordinals: its line sorts as n = -1', () => {
    const v1 = { v: 1, k: ['2026-11-23T10:00:00.123456Z', 789, 'stderr', 'a3c5e0f2-1b2c-4d5e-8f90-0123456789ab'], f: cursor.fromMs };
    const binding = JSON.parse(Buffer.from(encodeLogCursor(identity, cursor), 'base64url').toString()).b;
    const text = Buffer.from(JSON.stringify({ ...v1, b: binding })).toString('base64url');
    expect(decodeLogCursor(identity, text).after).toEqual({ ts: '2026-11-23T10:00:00.123456Z', nanos: 789, stream: 'stderr', n: -1, lineHash: 'a3c5e0f2-1b2c-4d5e-8f90-0123456789ab' });
  });

  it.each([
    ['another container', { containerId: '1b6f7f9e-3c1a-4f55-9a53-5d1a2b3c4d5e' }],
    ['another q', { q: 'deadlock' }],
    ['no q', { q: undefined }],
    ['another stream', { stream: 'stdout' }],
    ['a from', { from: '2026-11-23T09:00:00Z' }],
    ['a to', { to: '2026-11-23T11:00:00Z' }],
  ])('is refused for %s', (_, change) => {
    const text = encodeLogCursor(identity, cursor);
    expect(() => decodeLogCursor({ ...identity, ...change }, text)).toThrow(/invalid cursor: it was issued for a different query/);
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24'],
    ['JSON of something else', Buffer.from('[1,2,3]').toString('base64url')],
    ['a bad timestamp', reencoded((v) => (v.k[0] = '2026-11-23T10:00:00Z'))],
    ['nanos out of range', reencoded((v) => (v.k[1] = 1000))],
    ['an unknown stream', reencoded((v) => (v.k[2] = 'stdin'))],
    ['an ordinal below -1', reencoded((v) => (v.k[3] = -2))],
    ['a fractional ordinal', reencoded((v) => (v.k[3] = 1.5))],
    ['an ordinal past int4', reencoded((v) => (v.k[3] = 2 ** 31))],
    ['a bad hash', reencoded((v) => (v.k[4] = 'zz'))],
    ['another version', reencoded((v) => (v.v = 3))],
    ['a version 1 key with an ordinal', reencoded((v) => (v.v = 1))],
    ['a tampered from', reencoded((v) => (v.f = v.f - 1))],
  ])('is refused when it is %s', (_, text) => {
    expect(() => decodeLogCursor(identity, text)).toThrow(BadRequestException);
    expect(() => decodeLogCursor(identity, text)).toThrow(/^invalid cursor/);
  });
});
