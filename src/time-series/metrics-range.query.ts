import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsBucket, TimeRangeQuery } from './time-range.query.js';

/** `from`/`to`/`limit` and an optional `bucket`, shared by the container and host metrics endpoints. */
export class MetricsRangeQuery extends TimeRangeQuery {
  @ApiPropertyOptional({
    description:
      'Bucket width (`10s`, `1m`, `5m`, `1h`, `1d`, … between 1s and 7d). Absent: raw samples. Present: one row per non-empty bucket, ' +
      'newest first, buckets aligned to multiples of the width since the epoch (UTC); every bucket overlapping [from, to) is ' +
      'returned whole. Whole minutes are read from a rollup tier: the coarsest of daily, hourly and per-minute whose ' +
      'resolution divides the width and whose retention (RETENTION_ROLLUPS_DAILY, _HOURLY, RETENTION_ROLLUPS) reaches `from`; ' +
      'other widths from raw samples.',
    example: '1m',
  })
  @IsOptional()
  @IsBucket()
  bucket?: string;
}
