import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsString, Length, ValidateBy } from 'class-validator';
import { IsCleanText } from '../../../common/is-clean-text.decorator.js';
import { isPlainObject } from '../../../common/json-shape.js';
import {
  CONDITION_TYPES,
  CONTAINER_EVENT_CONDITIONS,
  CONTAINER_METRICS,
  HOST_METRICS,
  type ConditionType,
  type ContainerEventCondition,
  type ContainerMetricName,
  type HostMetricName,
  type ThresholdOp,
} from '../../alert-rule.js';
import { RULE_LIMITS } from '../rule-limits.js';
import { EachItem, IfPresent, IsDurationBetween } from './rule-validators.js';

const OPS = ['>', '<'] as const;
const oneOf = (values: readonly string[]) => ({ message: `$property must be one of: ${values.join(', ')}` });
const IsThreshold = () =>
  ValidateBy({
    name: 'isThreshold',
    validator: {
      validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value),
      defaultMessage: () => 'threshold must be a finite number',
    },
  });
const IsCountInRange = () =>
  ValidateBy({
    name: 'isCountInRange',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) >= RULE_LIMITS.count.min && (value as number) <= RULE_LIMITS.count.max,
      defaultMessage: () => `count must be an integer from ${RULE_LIMITS.count.min} to ${RULE_LIMITS.count.max}`,
    },
  });
const WINDOW = `a duration (\`30s\`, \`5m\`, \`1h\`) from ${RULE_LIMITS.window.min} to ${RULE_LIMITS.window.max}`;

export class ContainerMetricConditionDto {
  @ApiProperty({ enum: ['container_metric'] }) @IsIn(['container_metric']) type: 'container_metric';
  @ApiProperty({ enum: CONTAINER_METRICS, description: 'Rates are bytes per second; memoryPercent is of the container’s limit' })
  @IsIn(CONTAINER_METRICS, oneOf(CONTAINER_METRICS))
  metric: ContainerMetricName;
  @ApiProperty({ enum: OPS }) @IsIn(OPS, oneOf(OPS)) op: ThresholdOp;
  @ApiProperty({ example: 90 }) @IsThreshold() threshold: number;
  @ApiProperty({ example: '5m', description: `The mean over this window is compared: ${WINDOW}` })
  @IsDurationBetween(RULE_LIMITS.window)
  for: string;
}

export class HostMetricConditionDto {
  @ApiProperty({ enum: ['host_metric'] }) @IsIn(['host_metric']) type: 'host_metric';
  @ApiProperty({ enum: HOST_METRICS }) @IsIn(HOST_METRICS, oneOf(HOST_METRICS)) metric: HostMetricName;
  @ApiProperty({ enum: OPS }) @IsIn(OPS, oneOf(OPS)) op: ThresholdOp;
  @ApiProperty({ example: 4 }) @IsThreshold() threshold: number;
  @ApiProperty({ example: '10m', description: `The mean over this window is compared: ${WINDOW}` })
  @IsDurationBetween(RULE_LIMITS.window)
  for: string;
}

export class ContainerEventConditionDto {
  @ApiProperty({ enum: ['container_event'] }) @IsIn(['container_event']) type: 'container_event';
  @ApiProperty({ enum: CONTAINER_EVENT_CONDITIONS, isArray: true, example: ['died', 'oom_killed'], description: 'Non-empty, no repeats' })
  @EachItem(CONTAINER_EVENT_CONDITIONS.length, (item) => (CONTAINER_EVENT_CONDITIONS as readonly unknown[]).includes(item), `one of: ${CONTAINER_EVENT_CONDITIONS.join(', ')}`, {
    unique: true,
    nonEmpty: true,
  })
  events: ContainerEventCondition[];
}

export class HostOfflineConditionDto {
  @ApiProperty({ enum: ['host_offline'] }) @IsIn(['host_offline']) type: 'host_offline';
  @ApiProperty({ example: '2m', description: `How long the agent has not been heard: from ${RULE_LIMITS.hostOffline.min} to ${RULE_LIMITS.hostOffline.max}` })
  @IsDurationBetween(RULE_LIMITS.hostOffline)
  for: string;
}

export class LogMatchConditionDto {
  @ApiProperty({ enum: ['log_match'] }) @IsIn(['log_match']) type: 'log_match';
  @ApiProperty({ example: 'connection refused', description: 'Case-insensitive substring', minLength: 1, maxLength: RULE_LIMITS.queryLength })
  @IsString({ message: 'q must be a string' })
  @Length(1, RULE_LIMITS.queryLength, { message: `q must be 1 to ${RULE_LIMITS.queryLength} characters long` })
  @IsCleanText()
  q: string;
  @ApiPropertyOptional({ enum: ['stdout', 'stderr'], description: 'Both streams when absent' })
  @IfPresent()
  @IsIn(['stdout', 'stderr'], oneOf(['stdout', 'stderr']))
  stream?: 'stdout' | 'stderr';
  @ApiProperty({ example: 5, minimum: RULE_LIMITS.count.min, maximum: RULE_LIMITS.count.max }) @IsCountInRange() count: number;
  @ApiProperty({ example: '10m', description: WINDOW }) @IsDurationBetween(RULE_LIMITS.window) within: string;
}

/** A condition whose `type` is missing or unknown: only `type` is reported, not every other field. */
class UnknownConditionDto {
  @IsIn(CONDITION_TYPES, oneOf(CONDITION_TYPES)) type: unknown;
}

export const CONDITION_DTOS = {
  container_metric: ContainerMetricConditionDto,
  host_metric: HostMetricConditionDto,
  container_event: ContainerEventConditionDto,
  host_offline: HostOfflineConditionDto,
  log_match: LogMatchConditionDto,
} satisfies Record<ConditionType, Function>;

export type ConditionDto = InstanceType<(typeof CONDITION_DTOS)[ConditionType]>;

/** Turns the plain condition into the DTO its `type` names, so ValidateNested checks that type's fields. */
export const AsConditionDto = () =>
  Transform(({ value }) => {
    if (!isPlainObject(value)) return value;
    const dto = Object.hasOwn(CONDITION_DTOS, value.type as string) ? CONDITION_DTOS[value.type as ConditionType] : undefined;
    return dto ? plainToInstance(dto as new () => object, value) : plainToInstance(UnknownConditionDto, { type: value.type });
  });
