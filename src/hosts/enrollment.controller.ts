import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AgentOnly, CurrentAgent, Public } from '../common/auth.decorators.js';
import type { AgentPrincipal } from '../common/principal.js';
import { AGENT_SECURITY } from '../common/openapi.js';
import { AgentIdentityView, AgentTokenView } from './dto/enrollment.view.js';
import { EnrollDto } from './dto/enroll.dto.js';
import { HostsService } from './hosts.service.js';

@ApiTags('agent')
@Controller('agent')
export class EnrollmentController {
  constructor(private readonly hosts: HostsService) {}

  /**
   * Public: the one-time enrollment token is the credential. Not throttled per address: a fleet
   * behind one NAT enrolls at once, and 256 random bits cannot be guessed anyway.
   */
  @Post('enroll')
  @Public()
  @ApiOperation({
    summary: 'Exchange a one-time enrollment token for an agent token',
    description: 'No credential needed: the enrollment token in the body is the credential. Re-enrolling revokes the host’s previous agent token.',
  })
  @ApiCreatedResponse({ type: AgentTokenView })
  @ApiBadRequestResponse({ description: 'Malformed body' })
  @ApiUnauthorizedResponse({ description: 'The enrollment token is unknown, already used or expired' })
  enroll(@Body() dto: EnrollDto) {
    return this.hosts.enroll(dto);
  }

  /** Lets an agent check that its token still works (and which host it is). */
  @Get('me')
  @AgentOnly()
  @ApiBearerAuth(AGENT_SECURITY)
  @ApiOperation({ summary: 'Which host an agent token belongs to', description: 'Agent token only; user tokens are refused.' })
  @ApiOkResponse({ type: AgentIdentityView })
  @ApiUnauthorizedResponse({ description: 'Missing, invalid, expired, revoked or non-agent token' })
  me(@CurrentAgent() agent: AgentPrincipal) {
    return { hostId: agent.hostId, organizationId: agent.organizationId };
  }
}
