import { IsNumber, Matches, Max, Min } from 'class-validator';
import { INT4_MAX, IsCount, IsTimestamp, Items } from '../../common/validation.js';
import { DOCKER_ID, DOCKER_ID_MESSAGE } from '../../containers/dto/container.dto.js';

/** One container sample; counters are cumulative, as Docker reports them. */
export class ContainerMetricDto {
  @Matches(DOCKER_ID, { message: DOCKER_ID_MESSAGE })
  containerId: string;

  @IsTimestamp()
  ts: string | number;

  /** Percent of one CPU, so up to 100 × cores. */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100_000)
  cpuPercent: number;

  @IsCount() memoryUsed: number;
  @IsCount() memoryLimit: number;
  @IsCount() networkRx: number;
  @IsCount() networkTx: number;
  @IsCount() blockRead: number;
  @IsCount() blockWrite: number;
  @IsCount(INT4_MAX) pids: number;
}

export class MetricsFrameDto {
  @Items(() => ContainerMetricDto)
  data: ContainerMetricDto[];
}
