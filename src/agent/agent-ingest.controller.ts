import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AgentOnly, CurrentAgent } from '../common/auth.decorators.js';
import { AGENT_SECURITY } from '../common/openapi.js';
import type { AgentPrincipal } from '../common/principal.js';
import { ConnectionLedger } from '../gap-ledger/connection-ledger.js';
import { FrameProcessor } from '../ingest/frame-processor.js';
import { ERROR_CODES, HTTP_STATUS, MAX_ITEMS, MAX_PAYLOAD_BYTES } from '../ingest/protocol.js';

const FRAME_BODY_DESCRIPTION =
  'One agent frame `{type, seq, ...}` of the types below (`seq`: a positive integer, unique among the agent’s unacknowledged frames). ' +
  `\`containerId\` is the Docker id; the host comes from the token. At most ${MAX_ITEMS} items in \`data\` and ${MAX_PAYLOAD_BYTES} bytes.`;

const ERROR_FRAME_SCHEMA = {
  type: 'object',
  required: ['type', 'seq', 'code', 'message'],
  properties: {
    type: { type: 'string', enum: ['error'] },
    seq: { type: 'integer', nullable: true, description: 'null for invalid_json' },
    code: { type: 'string', enum: [...ERROR_CODES] },
    message: { type: 'string' },
    details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
    retryAfterMs: { type: 'integer', description: 'With rate_limited, overloaded and unavailable' },
  },
};

/** Agent ingress over HTTP, for agents that cannot hold a socket: same validation, buffering and acks. */
@ApiTags('agent')
@ApiBearerAuth(AGENT_SECURITY)
@ApiUnauthorizedResponse({ description: 'Missing, invalid, expired, revoked or non-agent token' })
@Controller('agent')
@AgentOnly()
export class AgentIngestController {
  constructor(
    private readonly processor: FrameProcessor,
    private readonly ledger: ConnectionLedger,
  ) {}

  /** One agent frame; answered once durable with the ack, or with the error frame and its status. */
  @Post('ingest')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send one agent frame over HTTP', description: 'Agent token only. Same validation, buffering and acknowledgement as the /agent WebSocket.' })
  // The schema, a oneOf of every described kind, is filled in on the finished document (ingest/frame-schemas.ts).
  @ApiBody({ description: FRAME_BODY_DESCRIPTION, schema: { type: 'object', required: ['type', 'seq'] } })
  @ApiOkResponse({
    description: 'Every row of the frame is committed (or was already stored)',
    schema: { type: 'object', required: ['type', 'seq'], properties: { type: { type: 'string', enum: ['ack'] }, seq: { type: 'integer', minimum: 1 } } },
  })
  @ApiBadRequestResponse({ description: 'Error frame: invalid_json, invalid_message (details lists the bad fields) or unknown_type', schema: ERROR_FRAME_SCHEMA })
  @ApiPayloadTooLargeResponse({ description: 'Error frame: too_many_items', schema: ERROR_FRAME_SCHEMA })
  @ApiTooManyRequestsResponse({ description: 'Error frame: rate_limited; resend after retryAfterMs (also Retry-After). Nothing was stored.', schema: ERROR_FRAME_SCHEMA })
  @ApiServiceUnavailableResponse({ description: 'Error frame: overloaded or unavailable; resend after retryAfterMs (also Retry-After). Nothing was stored.', schema: ERROR_FRAME_SCHEMA })
  @ApiResponse({ status: 500, description: 'Error frame: internal', schema: ERROR_FRAME_SCHEMA })
  async ingest(@CurrentAgent() agent: AgentPrincipal, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    this.ledger.httpSeen(agent.hostId);
    const answer = await this.processor.process(agent, body);
    if (answer.type === 'error') {
      response.status(HTTP_STATUS[answer.code]);
      if (answer.retryAfterMs) response.setHeader('Retry-After', String(Math.ceil(answer.retryAfterMs / 1000)));
    }
    return answer;
  }
}
