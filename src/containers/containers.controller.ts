import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { ContainerView } from './container.view.js';
import { ContainersQueryService } from './containers-query.service.js';
import { ListContainersQuery } from './dto/list-containers.query.js';

@ApiTags('containers')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
@Controller()
export class ContainersController {
  constructor(private readonly containers: ContainersQueryService) {}

  /** Every container the host has reported (removed ones flagged), or only running ones. */
  @Get('hosts/:hostId/containers')
  @ApiOperation({ summary: "A host's containers", description: 'Every container the host has reported (removed ones flagged, listed last), or only running ones.' })
  @ApiOkResponse({ type: ContainerView, isArray: true })
  @ApiBadRequestResponse({ description: 'state is neither running nor all' })
  @ApiNotFoundResponse({ description: 'No such host in the caller’s organization' })
  list(@CurrentUser() user: UserPrincipal, @Param('hostId', new ParseIdPipe('Host')) hostId: string, @Query() query: ListContainersQuery) {
    return this.containers.listForHost(user.organizationId, hostId, query.state === 'running');
  }

  @Get('containers/:containerId')
  @ApiOperation({ summary: 'One container', description: '`containerId` is the id the API returns, not the Docker id.' })
  @ApiOkResponse({ type: ContainerView })
  @ApiNotFoundResponse({ description: 'No such container in the caller’s organization' })
  get(@CurrentUser() user: UserPrincipal, @Param('containerId', new ParseIdPipe('Container')) containerId: string) {
    return this.containers.get(user.organizationId, containerId);
  }
}
