import { SchedulerRegistry } from '@nestjs/schedule';
import type { UserPrincipal } from '../common/principal.js';
import { InMemoryTicketStore } from './in-memory-ticket-store.js';

const viewer: UserPrincipal = { kind: 'user', userId: 'u1', organizationId: 'o1', role: 'viewer' };

describe('InMemoryTicketStore', () => {
  let now: number;
  let store: InMemoryTicketStore;
  beforeEach(() => {
    now = 1_700_000_000_000;
    store = new InMemoryTicketStore(new SchedulerRegistry(), () => now);
  });
  afterEach(() => store.onModuleDestroy());

  it('issues unguessable tickets (32 random bytes, base64url) with their expiry', async () => {
    const a = await store.issue(viewer, 30_000);
    const b = await store.issue(viewer, 30_000);
    expect(a.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.ticket, 'base64url')).toHaveLength(32);
    expect(a.ticket).not.toBe(b.ticket);
    expect(a.expiresAt).toEqual(new Date(now + 30_000));
  });

  it('redeems a ticket once', async () => {
    const { ticket } = await store.issue(viewer, 30_000);
    expect(await store.redeem(ticket)).toEqual(viewer);
    expect(await store.redeem(ticket)).toBeUndefined();
    expect(await store.redeem('unknown')).toBeUndefined();
  });

  it('lets exactly one of concurrent redeems win', async () => {
    const { ticket } = await store.issue(viewer, 30_000);
    const results = await Promise.all([store.redeem(ticket), store.redeem(ticket), store.redeem(ticket)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a ticket at and after its expiry', async () => {
    const { ticket } = await store.issue(viewer, 30_000);
    now += 30_000;
    expect(await store.redeem(ticket)).toBeUndefined();
    const fresh = await store.issue(viewer, 30_000);
    now += 29_999;
    expect(await store.redeem(fresh.ticket)).toEqual(viewer);
  });

  it('sweeps expired tickets that were never redeemed', async () => {
    await store.issue(viewer, 1_000);
    await store.issue(viewer, 60_000);
    expect(store.size).toBe(2);
    now += 1_000;
    store.sweep();
    expect(store.size).toBe(1);
  });
});
