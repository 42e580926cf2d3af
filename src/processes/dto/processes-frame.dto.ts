import { IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { INT4_MAX, IsCount, IsTimestamp, Items } from '../../common/validation.js';

const finite = { allowNaN: false, allowInfinity: false };

export class ProcessDto {
  @IsCount(INT4_MAX) pid: number;
  @IsCount(INT4_MAX) ppid: number;
  @IsString() @MaxLength(255) name: string;
  @IsString() @MaxLength(4096) command: string;
  @IsString() @MaxLength(255) user: string;
  @IsNumber(finite) @Min(0) @Max(100_000) cpuPercent: number;
  @IsCount() memoryRss: number;
  @IsNumber(finite) @Min(0) @Max(100) memoryPercent: number;
  @IsCount(INT4_MAX) threads: number;
  @IsString() @MaxLength(32) state: string;
}

/** One snapshot of the host's processes, all taken at `ts`. */
export class ProcessesFrameDto {
  @IsTimestamp()
  ts: string | number;

  @Items(() => ProcessDto)
  data: ProcessDto[];
}
