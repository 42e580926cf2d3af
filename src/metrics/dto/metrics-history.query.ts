import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { TimeRangeQuery } from '../../time-series/time-range.query.js';

/** 30 days: the longest any deployment would keep raw samples; the retention clamps it further. */
export const MAX_HISTORY_HOURS = 720;
export const DEFAULT_HISTORY_HOURS = 24;
const HOURS_MESSAGE = `hours must be an integer between 1 and ${MAX_HISTORY_HOURS}`;

/** The original design's history query: the last `hours` of raw samples, newest first. */
export class MetricsHistoryQuery extends PickType(TimeRangeQuery, ['limit'] as const) {
  @ApiPropertyOptional({
    description: `How far back from now, in hours (1–${MAX_HISTORY_HOURS}); never past RETENTION_METRICS.`,
    default: DEFAULT_HISTORY_HOURS,
    minimum: 1,
    maximum: MAX_HISTORY_HOURS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: HOURS_MESSAGE })
  @Min(1, { message: HOURS_MESSAGE })
  @Max(MAX_HISTORY_HOURS, { message: HOURS_MESSAGE })
  hours?: number;

  @ApiPropertyOptional({ description: 'Only this container (the id the API returns). Absent: every container of the organization.' })
  @IsOptional()
  @IsString()
  containerId?: string;
}
