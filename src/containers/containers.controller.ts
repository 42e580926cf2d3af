import { Controller, Get, Param, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { ContainersService } from './containers.service.js';

export class ListContainersQuery {
  @IsOptional()
  @IsIn(['running', 'all'], { message: 'state must be running or all' })
  state?: 'running' | 'all';
}

@Controller()
export class ContainersController {
  constructor(private readonly containers: ContainersService) {}

  /** Every container the host has reported (removed ones flagged), or only running ones. */
  @Get('hosts/:hostId/containers')
  list(@CurrentUser() user: UserPrincipal, @Param('hostId', new ParseIdPipe('Host')) hostId: string, @Query() query: ListContainersQuery) {
    return this.containers.listForHost(user.organizationId, hostId, query.state === 'running');
  }

  @Get('containers/:containerId')
  get(@CurrentUser() user: UserPrincipal, @Param('containerId', new ParseIdPipe('Container')) containerId: string) {
    return this.containers.get(user.organizationId, containerId);
  }
}
