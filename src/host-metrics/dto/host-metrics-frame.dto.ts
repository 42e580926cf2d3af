import { Type } from 'class-transformer';
import { IsArray, IsNumber, Max, Min, ValidateNested } from 'class-validator';
import type { Timestamp } from '../../common/timestamp.js';
import { IsCount, IsTimestamp } from '../../common/validation.js';

const finite = { allowNaN: false, allowInfinity: false };

export class HostMetricDto {
  @IsTimestamp()
  ts: Timestamp;

  @IsNumber(finite) @Min(0) @Max(100)
  cpuPercent: number;

  @IsNumber(finite) @Min(0) load1: number;
  @IsNumber(finite) @Min(0) load5: number;
  @IsNumber(finite) @Min(0) load15: number;
  @IsCount() memoryUsed: number;
  @IsCount() memoryTotal: number;
  @IsCount() diskUsed: number;
  @IsCount() diskTotal: number;
  @IsCount() networkRx: number;
  @IsCount() networkTx: number;
}

export class HostMetricsFrameDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => HostMetricDto)
  data: HostMetricDto[];
}
