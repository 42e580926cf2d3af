import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
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
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { ChannelTestView, ChannelView, CreateChannelDto, UpdateChannelDto } from './dto/channel.dto.js';
import { NotificationChannelsService } from './notification-channels.service.js';

const ChannelId = () => Param('channelId', new ParseIdPipe('Notification channel'));
const NOT_FOUND = 'No such notification channel in the caller’s organization';
const NOT_ADMIN = 'The caller is not an admin';
const BAD_INPUT = 'Invalid name, type or config (each message names its field), an email channel without SMTP_URL, or a URL to a loopback, link-local or unspecified address';

@ApiTags('notification-channels')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
@Controller('notification-channels')
export class NotificationChannelsController {
  constructor(private readonly channels: NotificationChannelsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a notification channel', description: 'Admin and above. Secrets are stored encrypted and answered masked.' })
  @ApiCreatedResponse({ type: ChannelView })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  create(@CurrentUser() user: UserPrincipal, @Body() dto: CreateChannelDto) {
    return this.channels.create(user.organizationId, dto);
  }

  @Get()
  @ApiOperation({ summary: "The organization's notification channels, secrets masked" })
  @ApiOkResponse({ type: ChannelView, isArray: true })
  list(@CurrentUser() user: UserPrincipal) {
    return this.channels.list(user.organizationId);
  }

  @Patch(':channelId')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change a notification channel',
    description: 'Admin and above. `config`, when sent, replaces the whole configuration; a masked value sent back as answered keeps the stored secret.',
  })
  @ApiOkResponse({ type: ChannelView })
  @ApiBadRequestResponse({ description: BAD_INPUT })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  update(@CurrentUser() user: UserPrincipal, @ChannelId() channelId: string, @Body() dto: UpdateChannelDto) {
    return this.channels.update(user.organizationId, channelId, dto);
  }

  @Delete(':channelId')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a notification channel', description: 'Admin and above.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  remove(@CurrentUser() user: UserPrincipal, @ChannelId() channelId: string) {
    return this.channels.remove(user.organizationId, channelId);
  }

  @Post(':channelId/test')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a test message through a channel', description: 'Admin and above. Answers once the receiver accepted it or refused it.' })
  @ApiOkResponse({ type: ChannelTestView, description: 'The receiver accepted the test message' })
  @ApiBadGatewayResponse({ description: 'The receiver refused the message or could not be reached: `message`, and `receiver` `{status, body}` with its answer' })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  test(@CurrentUser() user: UserPrincipal, @ChannelId() channelId: string) {
    return this.channels.test(user.organizationId, channelId);
  }
}
