import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { COMMAND_ACTIONS, type CommandAction } from '../command.view.js';

/** Body of POST /api/containers/:containerId/actions. */
export class CreateActionDto {
  @ApiProperty({ enum: COMMAND_ACTIONS, description: 'What the host agent should do with the container' })
  @IsIn(COMMAND_ACTIONS, { message: 'action must be one of start, stop, restart' })
  action: CommandAction;
}
