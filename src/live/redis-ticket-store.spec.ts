import type { UserPrincipal } from '../common/principal.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { connectedRedis } from '../redis/connected-redis.helper-spec.js';
import { RedisTicketStore } from './redis-ticket-store.js';

const principal: UserPrincipal = { kind: 'user', userId: 'u1', organizationId: 'o1', role: 'viewer' };

describe('RedisTicketStore (real Redis)', () => {
  let redis: RedisConnection;
  beforeAll(async () => (redis = await connectedRedis()));
  afterAll(() => redis.onApplicationShutdown());

  it('redeems a ticket once, whichever instance redeems it, even when they race', async () => {
    const [issuer, one, two] = [new RedisTicketStore(redis), new RedisTicketStore(redis), new RedisTicketStore(redis)];
    const { ticket, expiresAt } = await issuer.issue(principal, 30_000);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 29_000);
    const results = await Promise.all([one.redeem(ticket), two.redeem(ticket), one.redeem(ticket)]);
    expect(results.filter(Boolean)).toEqual([principal]);
    expect(await two.redeem(ticket)).toBeUndefined();
  });

  it('refuses an expired, unknown or oversized ticket', async () => {
    const store = new RedisTicketStore(redis);
    const { ticket } = await store.issue(principal, 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.redeem(ticket)).toBeUndefined();
    expect(await store.redeem('nope')).toBeUndefined();
    expect(await store.redeem('x'.repeat(10_000))).toBeUndefined();
  });
});
