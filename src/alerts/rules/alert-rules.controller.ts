import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth.decorators.js';
import { ParseIdPipe } from '../../common/parse-id.pipe.js';
import type { UserPrincipal } from '../../common/principal.js';
import { AlertRulesService } from './alert-rules.service.js';
import { AlertRuleViewDto, CreateAlertRuleDto, UpdateAlertRuleDto } from './dto/alert-rule.dto.js';

const RuleId = () => Param('ruleId', new ParseIdPipe('Alert rule'));
const NOT_FOUND = 'No such alert rule in the caller’s organization';
const NOT_ADMIN = 'The caller is not an admin';
const BAD_INPUT = 'Invalid field (each message names it, e.g. `condition.for`), or a host or channel that is not the organization’s';

@ApiTags('alert-rules')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add an alert rule', description: 'Admin and above. See docs/alerts.md for the conditions and their limits.' })
  @ApiCreatedResponse({ type: AlertRuleViewDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  create(@CurrentUser() user: UserPrincipal, @Body() dto: CreateAlertRuleDto) {
    return this.rules.create(user.organizationId, dto);
  }

  @Get()
  @ApiOperation({ summary: "The organization's alert rules, oldest first" })
  @ApiOkResponse({ type: AlertRuleViewDto, isArray: true })
  list(@CurrentUser() user: UserPrincipal) {
    return this.rules.list(user.organizationId);
  }

  @Get(':ruleId')
  @ApiOperation({ summary: 'An alert rule' })
  @ApiOkResponse({ type: AlertRuleViewDto })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  get(@CurrentUser() user: UserPrincipal, @RuleId() ruleId: string) {
    return this.rules.get(user.organizationId, ruleId);
  }

  @Patch(':ruleId')
  @Roles('admin')
  @ApiOperation({ summary: 'Change an alert rule', description: 'Admin and above. Fields not sent are kept; `scope` and `condition`, when sent, replace the whole value; `repeatEvery: null` stops reminders.' })
  @ApiOkResponse({ type: AlertRuleViewDto })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  update(@CurrentUser() user: UserPrincipal, @RuleId() ruleId: string, @Body() dto: UpdateAlertRuleDto) {
    return this.rules.update(user.organizationId, ruleId, dto);
  }

  @Delete(':ruleId')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an alert rule', description: 'Admin and above. Its silences go with it; its past alerts stay, without a rule.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  remove(@CurrentUser() user: UserPrincipal, @RuleId() ruleId: string) {
    return this.rules.remove(user.organizationId, ruleId);
  }
}
