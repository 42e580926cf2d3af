import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { CommandsService } from './commands.service.js';
import { ActionAcceptedDto, CommandViewDto } from './dto/command-view.dto.js';
import { CreateActionDto } from './dto/create-action.dto.js';
import { ListCommandsQuery } from './dto/list-commands.query.js';
import { IdempotencyKey } from './idempotency-key.decorator.js';

@ApiTags('actions')
@ApiBearerAuth()
@Controller()
export class CommandsController {
  constructor(private readonly commands: CommandsService) {}

  @Post('containers/:containerId/actions')
  @Roles('operator')
  @HttpCode(202)
  @ApiOperation({ summary: "Start, stop or restart a container through its host's agent" })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating a key (1–200 printable characters) returns the first command instead of sending another' })
  @ApiAcceptedResponse({ description: '{commandId, status, …}: the command, sent to the agent', type: ActionAcceptedDto })
  @ApiNotFoundResponse({ description: 'No such container in the caller’s organization' })
  @ApiConflictResponse({ description: 'The agent is offline, the container was removed, or the key was used for another request' })
  create(
    @CurrentUser() user: UserPrincipal,
    @Param('containerId', new ParseIdPipe('Container')) containerId: string,
    @Body() dto: CreateActionDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ) {
    return this.commands.request(user, containerId, dto.action, idempotencyKey);
  }

  @Get('commands/:commandId')
  @ApiOperation({ summary: 'A command and its status' })
  @ApiOkResponse({ type: CommandViewDto })
  @ApiNotFoundResponse({ description: 'No such command in the caller’s organization' })
  get(@CurrentUser() user: UserPrincipal, @Param('commandId', new ParseIdPipe('Command')) commandId: string) {
    return this.commands.get(user.organizationId, commandId);
  }

  @Get('hosts/:hostId/commands')
  @ApiOperation({ summary: "A host's commands, newest first" })
  @ApiOkResponse({ type: CommandViewDto, isArray: true })
  @ApiNotFoundResponse({ description: 'No such host in the caller’s organization' })
  listForHost(@CurrentUser() user: UserPrincipal, @Param('hostId', new ParseIdPipe('Host')) hostId: string, @Query() query: ListCommandsQuery) {
    return this.commands.listForHost(user.organizationId, hostId, query.status, query.limit);
  }
}
