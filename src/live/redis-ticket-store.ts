import { ServiceUnavailableException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { UserPrincipal } from '../common/principal.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { TicketStore, type IssuedTicket } from './ticket-store.js';

const TICKET_BYTES = 32;

/**
 * Tickets shared by every instance: `<prefix>live-ticket:<ticket>` holds the principal as JSON with
 * Redis's own expiry (SET … PX), and redeeming is GETDEL, so of two upgrades racing with one ticket
 * on two instances exactly one wins. Redis down: issuing answers 503, redeeming refuses (401).
 */
export class RedisTicketStore extends TicketStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async issue(principal: UserPrincipal, ttlMs: number): Promise<IssuedTicket> {
    const ticket = randomBytes(TICKET_BYTES).toString('base64url');
    const expiresAt = Date.now() + ttlMs;
    try {
      await this.redis.client.set(this.key(ticket), JSON.stringify(principal), 'PX', ttlMs);
    } catch {
      throw new ServiceUnavailableException('Live tickets are unavailable while Redis is unreachable; try again shortly');
    }
    return { ticket, expiresAt: new Date(expiresAt) };
  }

  async redeem(ticket: string): Promise<UserPrincipal | undefined> {
    if (ticket.length > 2 * TICKET_BYTES) return undefined;
    const stored = await this.redis.client.getdel(this.key(ticket)).catch(() => null);
    return stored ? (JSON.parse(stored) as UserPrincipal) : undefined;
  }

  private key(ticket: string): string {
    return this.redis.key(`live-ticket:${ticket}`);
  }
}
