import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { GapsQuery } from './dto/gaps.query.js';
import { GapView } from './dto/gap.view.js';
import { GapsService } from './gaps.service.js';

@ApiTags('hosts')
@ApiBearerAuth()
@Controller()
export class GapsController {
  constructor(private readonly gaps: GapsService) {}

  @Get('hosts/:hostId/gaps')
  @ApiBadRequestResponse({ description: 'A bad query parameter; the message names it' })
  @ApiNotFoundResponse({ description: 'No such host in the caller’s organization' })
  @ApiOperation({
    summary: 'The periods of a range without data from a host, and why',
    description:
      'Whole minutes without host samples (`host_metrics`) or without samples of any container (`container_metrics`), oldest first, ' +
      'consecutive minutes of one reason merged. `from`/`to` default to the last 24 hours; `from` is clamped to the rollup retention ' +
      '(RETENTION_ROLLUPS) and to the host’s creation, and the current minute is never reported. See docs/gaps.md.',
  })
  @ApiOkResponse({ type: GapView, isArray: true })
  list(@CurrentUser() user: UserPrincipal, @Param('hostId', new ParseIdPipe('Host')) hostId: string, @Query() query: GapsQuery) {
    return this.gaps.list(user.organizationId, hostId, query);
  }
}
