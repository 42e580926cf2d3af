import type { UserPrincipal } from '../common/principal.js';

export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

/**
 * Single-use tickets that let a browser open `/live` (browsers cannot set headers on a WebSocket
 * upgrade, and a long-lived access token in a URL would end up in logs). The abstract class is the
 * DI token: a shared store (Redis) can replace the in-memory one when several instances run.
 */
export abstract class TicketStore {
  /** A fresh unguessable ticket for `principal`, redeemable once within `ttlMs`. */
  abstract issue(principal: UserPrincipal, ttlMs: number): Promise<IssuedTicket>;

  /** The ticket's principal, spending it; undefined when unknown, expired or already spent. Atomic. */
  abstract redeem(ticket: string): Promise<UserPrincipal | undefined>;
}
