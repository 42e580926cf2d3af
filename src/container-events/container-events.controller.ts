import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { TimeRangeQuery } from '../time-series/time-range.query.js';
import { ContainerEventsQueryService } from './container-events-query.service.js';
import { ContainerEventView } from './dto/container-event.view.js';

@ApiTags('containers')
@ApiBearerAuth()
@Controller()
export class ContainerEventsController {
  constructor(private readonly events: ContainerEventsQueryService) {}

  @Get('containers/:containerId/events')
  @ApiBadRequestResponse({ description: 'A bad query parameter; the message names it' })
  @ApiNotFoundResponse({ description: 'No such container in the caller’s organization' })
  @ApiOperation({
    summary: 'Engine events of one container, newest first',
    description: '`from`/`to` default to everything kept (RETENTION_EVENTS, 7 days by default); `limit` defaults to 1000 (at most 5000).',
  })
  @ApiOkResponse({ type: ContainerEventView, isArray: true })
  list(@CurrentUser() user: UserPrincipal, @Param('containerId', new ParseIdPipe('Container')) containerId: string, @Query() query: TimeRangeQuery) {
    return this.events.list(user.organizationId, containerId, query);
  }
}
