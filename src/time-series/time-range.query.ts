import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { parseTimestamp } from '../common/timestamp.js';
import { parseDuration } from '../config/duration.js';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 5000;
const HOUR_MS = 3_600_000;

/** A query-string time: ISO 8601 or epoch milliseconds (which arrive as a digit string). */
export function parseQueryTime(value: unknown): number | undefined {
  const parsed = parseTimestamp(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
  return parsed?.ms;
}

const IsQueryTime = () =>
  ValidateBy({
    name: 'isQueryTime',
    validator: {
      validate: (value: unknown) => parseQueryTime(value) !== undefined,
      defaultMessage: (args) => `${args?.property} must be an ISO 8601 timestamp or epoch milliseconds`,
    },
  });

/** `from`/`to`/`limit`, the paging window every history endpoint shares. */
export class TimeRangeQuery {
  @ApiPropertyOptional({ description: 'Start of the range (inclusive), ISO 8601 or epoch ms. Default: `to` minus one hour.' })
  @IsOptional()
  @IsQueryTime()
  from?: string;

  @ApiPropertyOptional({ description: 'End of the range (exclusive), ISO 8601 or epoch ms. Default: now.' })
  @IsOptional()
  @IsQueryTime()
  to?: string;

  @ApiPropertyOptional({ description: `Most rows returned, 1–${MAX_LIMIT}.`, default: DEFAULT_LIMIT, minimum: 1, maximum: MAX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: `limit must be between 1 and ${MAX_LIMIT}` })
  @Max(MAX_LIMIT, { message: `limit must be between 1 and ${MAX_LIMIT}` })
  limit?: number;
}

/** A bucket width such as `10s`, `1m`, `5m`, `1h`: at least one second, at most one day. */
export const IsBucket = () =>
  ValidateBy({
    name: 'isBucket',
    validator: {
      validate: (value: unknown) => {
        const ms = typeof value === 'string' ? parseDuration(value) : undefined;
        return ms !== undefined && ms >= 1000 && ms <= 7 * 86_400_000 && ms % 1000 === 0;
      },
      defaultMessage: () => 'bucket must be a whole number of seconds between 1s and 7d, such as 10s, 1m, 5m, 1h or 1d',
    },
  });

export interface TimeRange {
  from: Date;
  to: Date;
  limit: number;
}

/**
 * The validated query as dates: `to` defaults to now and `from` to `defaultSpanMs` before it.
 * A reversed or empty range is a 400. `from` is clamped to `oldestMs` (the retention edge), so a
 * query never returns rows the retention has already expired, even before their partition is dropped.
 */
export function resolveRange(query: TimeRangeQuery, options: { oldestMs?: number; defaultSpanMs?: number } = {}): TimeRange {
  const to = query.to !== undefined ? parseQueryTime(query.to)! : Date.now();
  const from = query.from !== undefined ? parseQueryTime(query.from)! : to - (options.defaultSpanMs ?? HOUR_MS);
  if (from >= to) throw new BadRequestException('from must be earlier than to');
  return { from: new Date(Math.max(from, options.oldestMs ?? -Infinity)), to: new Date(to), limit: query.limit ?? DEFAULT_LIMIT };
}
