import { IsNumber, Max, Min } from 'class-validator';
import { IsCount, IsTimestamp, Items } from '../../common/validation.js';

const finite = { allowNaN: false, allowInfinity: false };

export class HostMetricDto {
  @IsTimestamp()
  ts: string | number;

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
  @Items(() => HostMetricDto)
  data: HostMetricDto[];
}
