import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TimeRangeQuery } from '../../time-series/time-range.query.js';
import { MAX_CURSOR_LENGTH } from '../log-cursor.js';

export const MAX_TERM_LENGTH = 200;

/** `GET /api/containers/:containerId/logs`: a time range, optional filters, and paging. */
export class LogsSearchQuery extends TimeRangeQuery {
  @ApiPropertyOptional({
    description: `Case-insensitive substring (1–${MAX_TERM_LENGTH} characters) the line must contain; \`%\`, \`_\` and \`\\\` are literal characters.`,
    example: 'deadlock',
  })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'q must not be empty' })
  @MaxLength(MAX_TERM_LENGTH, { message: `q must be at most ${MAX_TERM_LENGTH} characters long` })
  @Matches(/^[^\u0000]*$/, { message: 'q must not contain NUL characters' })
  q?: string;

  @ApiPropertyOptional({ description: 'Only lines of this stream.', enum: ['stdout', 'stderr'] })
  @IsOptional()
  @IsIn(['stdout', 'stderr'], { message: 'stream must be stdout or stderr' })
  stream?: 'stdout' | 'stderr';

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page. Only valid with the same container, `q`, `stream`, `from` and `to` (`limit` may change).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH, { message: 'invalid cursor: too long' })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'invalid cursor: not a cursor returned by this endpoint' })
  cursor?: string;
}
