import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { AlertsQueryService } from './alerts-query.service.js';
import { AlertPageDto, AlertViewDto } from './dto/alert-view.dto.js';
import { ListAlertsQuery } from './dto/list-alerts.query.js';

@ApiTags('alerts')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsQueryService) {}

  @Get()
  @ApiOperation({
    summary: "The organization's alerts, newest first",
    description: 'Every role. `{items, nextCursor}`; pass `nextCursor` as `cursor` for the next page. Each alert carries its notifications and, for crashes, what was true at that moment (`context`).',
  })
  @ApiOkResponse({ description: '`{items: [alert], nextCursor}`', type: AlertPageDto })
  @ApiBadRequestResponse({ description: 'A bad filter; the message names it' })
  list(@CurrentUser() user: UserPrincipal, @Query() query: ListAlertsQuery) {
    return this.alerts.list(user.organizationId, query);
  }

  @Get(':alertId')
  @ApiOperation({ summary: 'One alert with its notifications and context' })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiNotFoundResponse({ description: 'No such alert in the caller’s organization' })
  get(@CurrentUser() user: UserPrincipal, @Param('alertId', new ParseIdPipe('Alert')) alertId: string) {
    return this.alerts.get(user.organizationId, alertId);
  }
}
