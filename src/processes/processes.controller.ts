import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { ProcessHistoryView, ProcessSnapshotView } from './dto/process.view.js';
import { ProcessesQuery } from './dto/processes.query.js';
import { ProcessesQueryService } from './processes-query.service.js';

@ApiTags('processes')
@ApiBearerAuth()
@ApiExtraModels(ProcessSnapshotView, ProcessHistoryView)
@Controller()
export class ProcessesController {
  constructor(private readonly processes: ProcessesQueryService) {}

  @Get('hosts/:hostId/processes')
  @ApiBadRequestResponse({ description: 'A bad query parameter; the message names it' })
  @ApiNotFoundResponse({ description: 'No such host in the caller’s organization' })
  @ApiOperation({
    summary: 'Process snapshots of a host, or the history of one process',
    description:
      'No parameters: the latest snapshot. `at`: the snapshot nearest that time. `pid` (with optional `from`/`to`, default the ' +
      'last hour, and `limit`): that process’s samples, newest first. Nothing older than RETENTION_PROCESSES is returned.',
  })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(ProcessSnapshotView) }, { $ref: getSchemaPath(ProcessHistoryView) }] } })
  read(@CurrentUser() user: UserPrincipal, @Param('hostId', new ParseIdPipe('Host')) hostId: string, @Query() query: ProcessesQuery) {
    return this.processes.read(user.organizationId, hostId, query);
  }
}
