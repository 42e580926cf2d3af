import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomBytes } from 'node:crypto';
import { startInterval, stopInterval } from '../common/intervals.js';
import type { UserPrincipal } from '../common/principal.js';
import { TicketStore, type IssuedTicket } from './ticket-store.js';

const TICKET_BYTES = 32;
const SWEEP_MS = 30_000;
const SWEEPER = 'live-ticket-sweep';

/**
 * The single-instance ticket store. Redeeming is a synchronous get-and-delete, so of two upgrades
 * racing with one ticket exactly one wins. Expired tickets are swept, so unredeemed ones do not
 * accumulate.
 */
@Injectable()
export class InMemoryTicketStore extends TicketStore implements OnModuleInit, OnModuleDestroy {
  private readonly tickets = new Map<string, { principal: UserPrincipal; expiresAt: number }>();

  constructor(
    private readonly schedules: SchedulerRegistry,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  onModuleInit(): void {
    startInterval(this.schedules, SWEEPER, SWEEP_MS, () => this.sweep());
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, SWEEPER);
  }

  issue(principal: UserPrincipal, ttlMs: number): Promise<IssuedTicket> {
    const ticket = randomBytes(TICKET_BYTES).toString('base64url');
    const expiresAt = this.now() + ttlMs;
    this.tickets.set(ticket, { principal, expiresAt });
    return Promise.resolve({ ticket, expiresAt: new Date(expiresAt) });
  }

  redeem(ticket: string): Promise<UserPrincipal | undefined> {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return Promise.resolve(entry && entry.expiresAt > this.now() ? entry.principal : undefined);
  }

  /** How many tickets are held (spent ones are gone at once, expired ones after the next sweep). */
  get size(): number {
    return this.tickets.size;
  }

  sweep(): void {
    const now = this.now();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(ticket);
  }
}
