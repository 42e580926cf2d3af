import { ApiProperty } from '@nestjs/swagger';
import type { LogLineRow } from '../logs-query.repository.js';

export class LogLineView {
  @ApiProperty({
    description: 'When the line was written, ISO 8601 UTC with nanoseconds (9 fraction digits), as precise as the agent sent it.',
    example: '2026-11-23T10:05:17.123456789Z',
  })
  ts: string;

  @ApiProperty({ enum: ['stdout', 'stderr'] }) stream: string;
  @ApiProperty({ description: 'The line, without its newline; at most 16 KiB of UTF-8.' }) line: string;
  @ApiProperty({ description: 'Whether the line was longer than 16 KiB and was cut.' }) truncated: boolean;
}

export class LogsPage {
  @ApiProperty({ type: LogLineView, isArray: true, description: 'Newest first.' }) items: LogLineView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null when there is none.' })
  nextCursor: string | null;
}

export function toLogLineView(row: LogLineRow): LogLineView {
  // row.ts has microseconds and a Z; the nanoseconds go between them.
  return { ts: `${row.ts.slice(0, -1)}${String(row.nanos).padStart(3, '0')}Z`, stream: row.stream, line: row.line, truncated: row.truncated };
}
