import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** `command_result`: how a command sent down to the agent ended. */
export class CommandResultFrameDto {
  @IsUUID('all', { message: 'commandId must be a command id' })
  commandId: string;

  @IsIn(['succeeded', 'failed'], { message: 'status must be succeeded or failed' })
  status: 'succeeded' | 'failed';

  @IsOptional() @IsString() @MaxLength(4096)
  message?: string;
}
