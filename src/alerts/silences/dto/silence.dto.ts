import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsCleanText } from '../../../common/is-clean-text.decorator.js';
import { IsTimestamp } from '../../../common/validation.js';
import { RULE_LIMITS } from '../../rules/rule-limits.js';

const TIME = 'ISO 8601 or epoch milliseconds';
const TIME_SCHEMA = { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', description: 'Epoch milliseconds' }] };

export class CreateSilenceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only alerts of this host (and its containers); any host when absent' })
  @IsOptional()
  @IsUUID('all', { message: 'hostId must be a host id' })
  hostId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only alerts of this container; any when absent' })
  @IsOptional()
  @IsUUID('all', { message: 'containerId must be a container id' })
  containerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only alerts of this rule; any when absent' })
  @IsOptional()
  @IsUUID('all', { message: 'ruleId must be an alert rule id' })
  ruleId?: string;

  @ApiProperty({ ...TIME_SCHEMA, example: '2026-12-01T22:00:00Z', description: TIME })
  @IsTimestamp()
  startsAt: string | number;

  @ApiProperty({ ...TIME_SCHEMA, example: '2026-12-02T02:00:00Z', description: `${TIME}; after startsAt` })
  @IsTimestamp()
  endsAt: string | number;

  @ApiProperty({ example: 'Database migration window', minLength: 1, maxLength: RULE_LIMITS.commentLength })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'comment must be a string' })
  @Length(1, RULE_LIMITS.commentLength, { message: `comment must be 1 to ${RULE_LIMITS.commentLength} characters long` })
  @IsCleanText()
  comment: string;
}

export class ListSilencesQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Include silences that have ended' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'all must be true or false' })
  all?: 'true' | 'false';
}

export class SilenceViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) hostId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) containerId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ruleId: string | null;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty() comment: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who created it (null once that user is deleted)' }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'Whether it holds now: startsAt ≤ now < endsAt' }) active: boolean;
}
