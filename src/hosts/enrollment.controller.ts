import { Body, Controller, Get, Post } from '@nestjs/common';
import { AgentOnly, CurrentAgent, Public } from '../common/auth.decorators.js';
import type { AgentPrincipal } from '../common/principal.js';
import { EnrollDto } from './dto/enroll.dto.js';
import { HostsService } from './hosts.service.js';

@Controller('agent')
export class EnrollmentController {
  constructor(private readonly hosts: HostsService) {}

  /**
   * Public: the one-time enrollment token is the credential. Not throttled per address: a fleet
   * behind one NAT enrolls at once, and 256 random bits cannot be guessed anyway.
   */
  @Post('enroll')
  @Public()
  enroll(@Body() dto: EnrollDto) {
    return this.hosts.enroll(dto);
  }

  /** Lets an agent check that its token still works (and which host it is). */
  @Get('me')
  @AgentOnly()
  me(@CurrentAgent() agent: AgentPrincipal) {
    return { hostId: agent.hostId, organizationId: agent.organizationId };
  }
}
