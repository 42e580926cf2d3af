import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AgentOnly, CurrentAgent } from '../common/auth.decorators.js';
import { AGENT_SECURITY } from '../common/openapi.js';
import type { AgentPrincipal } from '../common/principal.js';
import { FrameRejectedError } from '../ingest/frame-handler.js';
import { validateFrame } from '../ingest/validate-frame.js';
import { ContainersService } from './containers.service.js';
import { ContainerDto, ContainersFrameDto } from './dto/container.dto.js';
import { ContainerSyncView } from './dto/container-sync.view.js';

/** The inventory snapshot over HTTP, the REST twin of the agent's `containers` frame. */
@ApiTags('agent')
@ApiBearerAuth(AGENT_SECURITY)
@ApiUnauthorizedResponse({ description: 'Missing, invalid, expired, revoked or non-agent token' })
@Controller('agent')
@AgentOnly()
export class InventoryController {
  constructor(private readonly containers: ContainersService) {}

  /** A full inventory snapshot: upserts by Docker id, marks known containers missing from it removed. */
  @Post('containers')
  @HttpCode(200)
  @ApiOperation({
    // The id it had when the agent transport's controller served it: clients generated from /docs keep their method name.
    operationId: 'AgentIngestController_containersSnapshot',
    summary: "Send the host's full container inventory",
    description: 'Agent token only. Upserts by Docker id; known containers missing from the snapshot are marked removed.',
  })
  @ApiBody({ type: ContainerDto, isArray: true, description: 'Every container on the host' })
  @ApiOkResponse({ type: ContainerSyncView })
  @ApiBadRequestResponse({ description: 'The body is not an array of valid container objects; details lists the bad fields' })
  async containersSnapshot(@CurrentAgent() agent: AgentPrincipal, @Body() body: unknown) {
    if (!Array.isArray(body)) throw new BadRequestException('The body must be an array of container objects');
    const validated = validateFrame(ContainersFrameDto, { data: body });
    if ('errors' in validated) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: validated.errors.map((e) => e.message), details: validated.errors });
    }
    try {
      return await this.containers.sync(agent.hostId, validated.frame.data);
    } catch (error) {
      if (error instanceof FrameRejectedError) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: error.details.map((d) => d.message), details: error.details });
      throw error;
    }
  }
}
