import { ApiProperty } from '@nestjs/swagger';
import { COMMAND_ACTIONS, COMMAND_STATUSES } from '../command.view.js';

class RequesterDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

/** The OpenAPI description of toCommandView's answer (command.view.ts). */
export class CommandViewDto {
  @ApiProperty() id: string;
  @ApiProperty() hostId: string;
  @ApiProperty() containerId: string;
  @ApiProperty({ enum: COMMAND_ACTIONS }) action: string;
  @ApiProperty({ enum: COMMAND_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String, description: "The agent's message, or why the command failed or timed out" }) message: string | null;
  @ApiProperty({ nullable: true, type: RequesterDto }) requestedBy: RequesterDto | null;
  @ApiProperty({ type: 'integer' }) timeoutMs: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt: string | null;
}

/** The 202 of an action: the command, with `commandId` as CONTRACT.md names it. */
export class ActionAcceptedDto extends CommandViewDto {
  @ApiProperty({ description: 'Same as `id`' }) commandId: string;
}
