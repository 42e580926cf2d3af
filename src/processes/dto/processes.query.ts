import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { parseQueryTime, TimeRangeQuery } from '../../time-series/time-range.query.js';

/**
 * `GET /api/hosts/:hostId/processes` has two modes: a snapshot (the latest, or the one nearest `at`),
 * or the history of one process (`pid`, with `from`/`to`/`limit`).
 */
export class ProcessesQuery extends TimeRangeQuery {
  @ApiPropertyOptional({
    description: 'Snapshot mode: the snapshot nearest this time (before or after; on a tie the earlier), ISO 8601 or epoch ms. Not with `pid`/`from`/`to`/`limit`.',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isQueryTime',
    validator: {
      validate: (value: unknown) => parseQueryTime(value) !== undefined,
      defaultMessage: () => 'at must be an ISO 8601 timestamp or epoch milliseconds',
    },
  })
  at?: string;

  @ApiPropertyOptional({ description: 'History mode: the samples of this process id in [from, to), newest first (default range: the last hour).', minimum: 1 })
  @IsOptional()
  // Digits only: Number() would also take `0x10`, `1e3` or ` 7 `.
  @Transform(({ value }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'pid must be a positive integer' })
  @Min(1, { message: 'pid must be a positive integer' })
  @Max(2_147_483_647, { message: 'pid must be a positive integer of at most 2147483647' })
  pid?: number;
}
