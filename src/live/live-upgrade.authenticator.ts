import type { INestApplicationContext } from '@nestjs/common';
import type { UpgradeAuthenticator } from '../common/authenticating-ws.adapter.js';
import { TicketStore } from './ticket-store.js';

/** `/live` upgrades: the `ticket` query parameter is redeemed (once); anything else is a 401. */
export function liveUpgradeAuthenticator(app: INestApplicationContext): UpgradeAuthenticator {
  return async (request) => {
    const ticket = new URL(request.url ?? '/', 'http://localhost').searchParams.get('ticket');
    const principal = ticket ? await app.get(TicketStore, { strict: false }).redeem(ticket) : undefined;
    if (!principal) throw new Error('Missing, unknown, expired or already used ticket');
    return principal;
  };
}
