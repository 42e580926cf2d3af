import { Injectable, OnModuleInit } from '@nestjs/common';
import { cleanText } from '../common/clean-text.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { CommandEvents } from './command-events.js';
import { CommandsRepository } from './commands.repository.js';
import { CommandResultFrameDto } from './dto/command-result-frame.dto.js';

/**
 * `command_result` frames: closes the command and announces it. A repeat of a stored result, or a
 * result arriving after the command timed out, is acked and changes nothing.
 */
@Injectable()
export class CommandResultHandler implements FrameHandler<CommandResultFrameDto>, OnModuleInit {
  readonly type = 'command_result';
  readonly dto = CommandResultFrameDto;

  constructor(
    private readonly registry: FrameRegistry,
    private readonly commands: CommandsRepository,
    private readonly stats: IngestStats,
    private readonly events: CommandEvents,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle(agent: AgentContext, result: CommandResultFrameDto): Promise<void> {
    const message = result.message === undefined ? null : cleanText(result.message);
    const { exists, changed } = await this.commands.finish(agent.hostId, result.commandId.toLowerCase(), result.status, message);
    if (changed) this.events.publish(changed);
    if (!exists) throw new FrameRejectedError('Unknown command', [{ path: 'commandId', message: 'commandId names no command of this host' }]);
    this.stats.accepted(this.type);
  }
}
