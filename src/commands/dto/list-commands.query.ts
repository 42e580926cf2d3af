import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { COMMAND_STATUSES, type CommandStatus } from '../command.view.js';

/** Query of GET /api/hosts/:hostId/commands. */
export class ListCommandsQuery {
  @ApiPropertyOptional({ description: 'How many commands, newest first', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must be at most 500' })
  limit: number = 100;

  @ApiPropertyOptional({ enum: COMMAND_STATUSES, description: 'Only commands in this status' })
  @IsOptional()
  @IsIn(COMMAND_STATUSES, { message: 'status must be one of pending, sent, succeeded, failed, timeout' })
  status?: CommandStatus;
}
