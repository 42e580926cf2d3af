import { ApiProperty } from '@nestjs/swagger';
import { HEALTH_STATES } from '../../containers/dto/container.dto.js';
import { EVENT_ACTIONS } from './container-events-frame.dto.js';

export class ContainerEventView {
  @ApiProperty({ description: 'When the engine reported it, ISO 8601 UTC (microseconds).', example: '2026-11-30T10:05:17.123456Z' }) ts: string;
  @ApiProperty({ enum: EVENT_ACTIONS }) action: string;
  @ApiProperty({ type: Number, nullable: true, description: 'With `die`: the exit code.' }) exitCode: number | null;
  @ApiProperty({ enum: HEALTH_STATES, nullable: true, description: 'With `health_status`: the new health.' }) health: string | null;
}

export function toContainerEventView(row: { ts: string | Date; action: string; exitCode: number | null; health: string | null }): ContainerEventView {
  return { ts: typeof row.ts === 'string' ? row.ts : row.ts.toISOString(), action: row.action, exitCode: row.exitCode, health: row.health };
}
