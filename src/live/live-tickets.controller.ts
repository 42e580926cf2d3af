import { Controller, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import type { UserPrincipal } from '../common/principal.js';
import type { Environment } from '../config/environment.js';
import { LiveTicketView } from './live-ticket.view.js';
import { TicketStore } from './ticket-store.js';

@ApiTags('live')
@ApiBearerAuth()
@Controller('live')
export class LiveTicketsController {
  private readonly ttlMs: number;

  constructor(
    private readonly tickets: TicketStore,
    config: ConfigService<Environment, true>,
  ) {
    this.ttlMs = config.getOrThrow('ms', { infer: true }).LIVE_TICKET_TTL;
  }

  /** Any role: every user may watch their own organization live. */
  @Post('tickets')
  @ApiOperation({ summary: 'Issue a single-use ticket for the /live dashboard WebSocket (valid 30 s by default)' })
  @ApiCreatedResponse({ type: LiveTicketView })
  async issue(@CurrentUser() user: UserPrincipal): Promise<LiveTicketView> {
    const { ticket, expiresAt } = await this.tickets.issue(user, this.ttlMs);
    return { ticket, expiresAt: expiresAt.toISOString() };
  }
}
