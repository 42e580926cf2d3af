import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
import { CreateSilenceDto, ListSilencesQuery, SilenceViewDto } from './dto/silence.dto.js';
import { SilencesService } from './silences.service.js';

const NOT_OPERATOR = 'The caller is a viewer';

@ApiTags('silences')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
@Controller('silences')
export class SilencesController {
  constructor(private readonly silences: SilencesService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({
    summary: 'Silence alerts for a while',
    description: 'Operator and above. Matching alerts still open and resolve, with `silenced: true`, but notify nobody. Fields left out match anything.',
  })
  @ApiCreatedResponse({ type: SilenceViewDto })
  @ApiBadRequestResponse({ description: 'Invalid field (each message names it), endsAt not after startsAt, or a host, container or rule that is not the organization’s' })
  @ApiForbiddenResponse({ description: NOT_OPERATOR })
  create(@CurrentUser() user: UserPrincipal, @Body() dto: CreateSilenceDto) {
    return this.silences.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: "The organization's silences that have not ended (all of them with all=true), newest first" })
  @ApiOkResponse({ type: SilenceViewDto, isArray: true })
  list(@CurrentUser() user: UserPrincipal, @Query() query: ListSilencesQuery) {
    return this.silences.list(user.organizationId, query.all === 'true');
  }

  @Delete(':silenceId')
  @Roles('operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a silence', description: 'Operator and above.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse({ description: NOT_OPERATOR })
  @ApiNotFoundResponse({ description: 'No such silence in the caller’s organization' })
  remove(@CurrentUser() user: UserPrincipal, @Param('silenceId', new ParseIdPipe('Silence')) silenceId: string) {
    return this.silences.remove(user.organizationId, silenceId);
  }
}
