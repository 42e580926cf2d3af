import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** Query of GET /api/hosts/:hostId/containers. */
export class ListContainersQuery {
  @ApiPropertyOptional({
    enum: ['running', 'all'],
    default: 'all',
    description: '`running`: only containers that are running and not removed. `all` (default): every container the host has reported, removed ones flagged.',
    example: 'running',
  })
  @IsOptional()
  @IsIn(['running', 'all'], { message: 'state must be running or all' })
  state?: 'running' | 'all';
}
