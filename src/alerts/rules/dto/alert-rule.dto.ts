import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { IsCleanText } from '../../../common/is-clean-text.decorator.js';
import { IsName } from '../../../common/validation.js';
import { SEVERITIES, type AlertCondition, type AlertScope, type Severity } from '../../alert-rule.js';
import { RULE_LIMITS } from '../rule-limits.js';
import {
  AsConditionDto,
  ContainerEventConditionDto,
  ContainerMetricConditionDto,
  HostMetricConditionDto,
  HostOfflineConditionDto,
  LogMatchConditionDto,
  type ConditionDto,
} from './condition.dto.js';
import { EachItem, IfPresent, IsDurationBetween, isUuid } from './rule-validators.js';
import { AlertScopeDto } from './scope.dto.js';

const CONDITIONS = [ContainerMetricConditionDto, HostMetricConditionDto, ContainerEventConditionDto, HostOfflineConditionDto, LogMatchConditionDto];
const CONDITION_SCHEMA = {
  oneOf: CONDITIONS.map((dto) => ({ $ref: getSchemaPath(dto) })),
  discriminator: { propertyName: 'type' },
  description: 'What makes the rule fire, by `type`: container_metric, host_metric, container_event, host_offline, log_match',
};

@ApiExtraModels(...CONDITIONS)
export class CreateAlertRuleDto {
  @ApiProperty({ example: 'API containers on fire', maxLength: RULE_LIMITS.nameLength })
  @IsName(RULE_LIMITS.nameLength)
  @IsCleanText()
  name: string;

  @ApiPropertyOptional({ default: true, description: 'A disabled rule is kept but not evaluated' })
  @IfPresent()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;

  @ApiProperty({ enum: SEVERITIES, enumName: 'AlertSeverity' })
  @IsIn(SEVERITIES, { message: `severity must be one of: ${SEVERITIES.join(', ')}` })
  severity: Severity;

  @ApiPropertyOptional({ type: AlertScopeDto, default: {} })
  @IfPresent()
  @IsObject({ message: 'scope must be an object' })
  @ValidateNested()
  @Type(() => AlertScopeDto)
  scope?: AlertScopeDto;

  @ApiProperty(CONDITION_SCHEMA)
  @IsObject({ message: 'condition must be an object with a type' })
  @ValidateNested()
  @AsConditionDto()
  condition: ConditionDto;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: RULE_LIMITS.channels, default: [], description: 'Notification channels of the organization' })
  @IfPresent()
  @EachItem(RULE_LIMITS.channels, isUuid, 'a notification channel id', { unique: true })
  channelIds?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '1h',
    description: `Reminds the channels while the alert keeps firing, this often (${RULE_LIMITS.repeatEvery.min} to ${RULE_LIMITS.repeatEvery.max}); null or absent: no reminders`,
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsDurationBetween(RULE_LIMITS.repeatEvery)
  repeatEvery?: string | null;

  @ApiPropertyOptional({ default: true, description: 'Whether the channels hear when the alert resolves' })
  @IfPresent()
  @IsBoolean({ message: 'notifyResolved must be true or false' })
  notifyResolved?: boolean;
}

/** Every field optional; `scope` and `condition`, when sent, replace the whole value. */
export class UpdateAlertRuleDto extends PartialType(CreateAlertRuleDto, { skipNullProperties: false }) {}

export class AlertRuleViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: SEVERITIES, enumName: 'AlertSeverity' }) severity: Severity;
  @ApiProperty({ type: AlertScopeDto }) scope: AlertScope;
  @ApiProperty(CONDITION_SCHEMA) condition: AlertCondition;
  @ApiProperty({ type: [String], format: 'uuid' }) channelIds: string[];
  @ApiProperty({ type: String, nullable: true, example: '1h', description: 'As written' }) repeatEvery: string | null;
  @ApiProperty() notifyResolved: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
