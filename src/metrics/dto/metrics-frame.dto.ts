import { Type } from 'class-transformer';
import { IsArray, IsNumber, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { Timestamp } from '../../common/timestamp.js';
import { IsCount, IsTimestamp } from '../../common/validation.js';
import { DOCKER_ID, DOCKER_ID_MESSAGE } from '../../containers/dto/container.dto.js';

/** One container sample; counters are cumulative, as Docker reports them. */
export class ContainerMetricDto {
  @Matches(DOCKER_ID, { message: DOCKER_ID_MESSAGE })
  containerId: string;

  @IsTimestamp()
  ts: Timestamp;

  /** Percent of one CPU, so up to 100 × cores. */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100_000)
  cpuPercent: number;

  @IsCount() memoryUsed: number;
  @IsCount() memoryLimit: number;
  @IsCount() networkRx: number;
  @IsCount() networkTx: number;
  @IsCount() blockRead: number;
  @IsCount() blockWrite: number;
  @IsCount() pids: number;
}

export class MetricsFrameDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ContainerMetricDto)
  data: ContainerMetricDto[];
}
