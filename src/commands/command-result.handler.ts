import { Injectable } from '@nestjs/common';
import { cleanText } from '../common/clean-text.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from '../ingest/frame-handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import { CommandEvents } from './command-events.js';
import { COMMAND_RESULT_KIND } from './command-result.kind.js';
import { CommandsRepository } from './commands.repository.js';
import type { CommandResultFrameDto } from './dto/command-result-frame.dto.js';

/**
 * `command_result` frames: closes the command and announces it. A repeat of a stored result, or a
 * result arriving after the command timed out, is acked and changes nothing.
 */
@Injectable()
@HandlesKind(COMMAND_RESULT_KIND)
export class CommandResultHandler implements FrameHandler<CommandResultFrameDto> {
  constructor(
    private readonly commands: CommandsRepository,
    private readonly events: CommandEvents,
  ) {}

  async handle(agent: AgentContext, result: CommandResultFrameDto): Promise<void> {
    const message = result.message === undefined ? null : cleanText(result.message);
    const { exists, changed } = await this.commands.finish(agent.hostId, result.commandId.toLowerCase(), result.status, message);
    if (changed) this.events.publish(changed);
    if (!exists) throw new FrameRejectedError('Unknown command', [{ path: 'commandId', message: 'commandId names no command of this host' }]);
  }
}
