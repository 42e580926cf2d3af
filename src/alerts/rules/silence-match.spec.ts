import { silenceMatches } from './silence-match.js';

const HOST = 'h1';
const CONTAINER = 'c1';
const RULE = 'r1';
const startsAt = new Date('2026-12-01T10:00:00Z');
const endsAt = new Date('2026-12-01T12:00:00Z');
const inside = new Date('2026-12-01T11:00:00Z');
const silence = (fields: { hostId?: string; containerId?: string; ruleId?: string } = {}) => ({
  hostId: fields.hostId ?? null,
  containerId: fields.containerId ?? null,
  ruleId: fields.ruleId ?? null,
  startsAt,
  endsAt,
});
const containerAlert = { hostId: HOST, containerId: CONTAINER, ruleId: RULE };
const hostAlert = { hostId: HOST, ruleId: RULE };

describe('silenceMatches', () => {
  it('holds from startsAt included to endsAt excluded', () => {
    expect(silenceMatches(silence(), containerAlert, startsAt)).toBe(true);
    expect(silenceMatches(silence(), containerAlert, new Date(endsAt.getTime() - 1))).toBe(true);
    expect(silenceMatches(silence(), containerAlert, endsAt)).toBe(false);
    expect(silenceMatches(silence(), containerAlert, new Date(startsAt.getTime() - 1))).toBe(false);
  });

  it('a silence with no host, container or rule covers every alert of its window', () => {
    expect(silenceMatches(silence(), containerAlert, inside)).toBe(true);
    expect(silenceMatches(silence(), hostAlert, inside)).toBe(true);
  });

  it('every field it sets must equal the alert’s', () => {
    expect(silenceMatches(silence({ hostId: HOST }), containerAlert, inside)).toBe(true);
    expect(silenceMatches(silence({ hostId: 'h2' }), containerAlert, inside)).toBe(false);
    expect(silenceMatches(silence({ ruleId: RULE }), hostAlert, inside)).toBe(true);
    expect(silenceMatches(silence({ ruleId: 'r2' }), hostAlert, inside)).toBe(false);
    expect(silenceMatches(silence({ containerId: CONTAINER, ruleId: RULE }), containerAlert, inside)).toBe(true);
    expect(silenceMatches(silence({ containerId: CONTAINER, ruleId: 'r2' }), containerAlert, inside)).toBe(false);
    expect(silenceMatches(silence({ containerId: 'c2' }), containerAlert, inside)).toBe(false);
  });

  it('a silence of a container does not cover its host’s alerts', () => {
    expect(silenceMatches(silence({ containerId: CONTAINER }), hostAlert, inside)).toBe(false);
    expect(silenceMatches(silence({ containerId: CONTAINER }), { ...hostAlert, containerId: null }, inside)).toBe(false);
  });
});
