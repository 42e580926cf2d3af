import { Injectable, OnModuleInit } from '@nestjs/common';
import { cleanText } from '../common/clean-text.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { CommandsRepository } from './commands.repository.js';
import { CommandResultFrameDto } from './dto/command-result-frame.dto.js';

/** `command_result` frames: closes the command; a repeat of a result already stored is acked. */
@Injectable()
export class CommandResultHandler implements FrameHandler<CommandResultFrameDto>, OnModuleInit {
  readonly type = 'command_result';
  readonly dto = CommandResultFrameDto;

  constructor(
    private readonly registry: FrameRegistry,
    private readonly commands: CommandsRepository,
    private readonly stats: IngestStats,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle(agent: AgentContext, result: CommandResultFrameDto): Promise<void> {
    const message = result.message === undefined ? null : cleanText(result.message);
    const { exists } = await this.commands.finish(agent.hostId, result.commandId.toLowerCase(), result.status, message);
    if (!exists) throw new FrameRejectedError('Unknown command', [{ path: 'commandId', message: 'commandId names no command of this host' }]);
    this.stats.accepted(this.type);
  }
}
