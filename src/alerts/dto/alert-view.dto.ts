import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SEVERITIES } from '../alert-rule.js';

class AlertSubjectDto {
  @ApiProperty() hostId: string;
  @ApiPropertyOptional() containerId?: string;
  @ApiProperty({ description: 'Container or host name' }) name: string;
  @ApiPropertyOptional() hostName?: string;
}

class AlertNotificationDto {
  @ApiProperty() channelId: string;
  @ApiProperty({ enum: ['firing', 'resolved', 'repeat'] }) event: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed'] }) status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
}

/** The OpenAPI description of AlertView (alert.view.ts). */
export class AlertViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null once the rule was deleted' }) ruleId: string | null;
  @ApiProperty() ruleName: string;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ enum: ['firing', 'resolved'] }) state: string;
  @ApiProperty({ type: AlertSubjectDto }) subject: AlertSubjectDto;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) resolvedAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) value: number | null;
  @ApiProperty() message: string;
  @ApiProperty() silenced: boolean;
  @ApiProperty({ nullable: true, enum: ['silence', 'host_offline'], description: 'Why it notifies nobody' }) mutedBy: string | null;
  @ApiProperty({ type: [AlertNotificationDto] }) notifications: AlertNotificationDto[];
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'For a container that died, was OOM-killed or turned unhealthy: {exitCode, oomKilled, restartCount, lastLogLines, metrics, topProcesses, neighbours}',
  })
  context: Record<string, unknown> | null;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertViewDto] }) items: AlertViewDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last' }) nextCursor: string | null;
}
