import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { LogsPage } from './dto/log-line.view.js';
import { LogsSearchQuery } from './dto/logs-search.query.js';
import { LogsQueryService } from './logs-query.service.js';

@ApiTags('logs')
@ApiBearerAuth()
@Controller()
export class LogsController {
  constructor(private readonly logs: LogsQueryService) {}

  @Get('containers/:containerId/logs')
  @ApiBadRequestResponse({ description: 'A bad query parameter; the message names it' })
  @ApiNotFoundResponse({ description: 'No such container in the caller’s organization' })
  @ApiOperation({
    summary: 'Log lines of one container, newest first',
    description:
      '`from`/`to` default to the last hour and never reach past RETENTION_LOGS; `limit` defaults to 1000 (at most 5000). ' +
      'Lines come in a total order (time to the nanosecond, then stream, then line), so following `nextCursor` never skips ' +
      'or repeats a line, even when lines share a timestamp or new ones arrive between pages.',
  })
  @ApiOkResponse({ type: LogsPage })
  search(@CurrentUser() user: UserPrincipal, @Param('containerId', new ParseIdPipe('Container')) containerId: string, @Query() query: LogsSearchQuery) {
    return this.logs.search(user.organizationId, containerId, query);
  }
}
