import { BadRequestException, Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AgentOnly, CurrentAgent } from '../common/auth.decorators.js';
import type { AgentPrincipal } from '../common/principal.js';
import { ContainersService } from '../containers/containers.service.js';
import { ContainersFrameDto } from '../containers/dto/container.dto.js';
import { FrameProcessor } from '../ingest/frame-processor.js';
import { FrameRejectedError } from '../ingest/frame-handler.js';
import { HTTP_STATUS } from '../ingest/protocol.js';
import { validateFrame } from '../ingest/validate-frame.js';

/** Agent ingress over HTTP, for agents that cannot hold a socket: same validation, buffering and acks. */
@Controller('agent')
@AgentOnly()
export class AgentIngestController {
  constructor(
    private readonly processor: FrameProcessor,
    private readonly containers: ContainersService,
  ) {}

  /** One agent frame; answered once durable with the ack, or with the error frame and its status. */
  @Post('ingest')
  @HttpCode(200)
  async ingest(@CurrentAgent() agent: AgentPrincipal, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const answer = await this.processor.process(agent, body);
    if (answer.type === 'error') {
      response.status(HTTP_STATUS[answer.code]);
      if (answer.retryAfterMs) response.setHeader('Retry-After', String(Math.ceil(answer.retryAfterMs / 1000)));
    }
    return answer;
  }

  /** A full inventory snapshot: upserts by Docker id, marks known containers missing from it removed. */
  @Post('containers')
  @HttpCode(200)
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
