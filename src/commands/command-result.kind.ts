import { describeKind } from '../ingest/telemetry-kind.js';
import { CommandResultFrameDto } from './dto/command-result-frame.dto.js';

export const COMMAND_RESULT_KIND = describeKind({
  type: 'command_result',
  dto: CommandResultFrameDto,
  summary: 'How a command sent down to the agent ended.',
});
