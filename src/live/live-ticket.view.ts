import { ApiProperty } from '@nestjs/swagger';

/** The answer of POST /api/live/tickets (documented for OpenAPI). */
export class LiveTicketView {
  @ApiProperty({ description: 'Single-use ticket: open `GET /live?ticket=<ticket>` with it before it expires.' })
  ticket!: string;

  @ApiProperty({ description: 'When the ticket stops being redeemable (ISO 8601).', format: 'date-time' })
  expiresAt!: string;
}
