import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
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
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { CreateHostDto } from './dto/create-host.dto.js';
import { EnrollmentTokenView, HostCreatedView } from './dto/enrollment.view.js';
import { HostView } from './host.view.js';
import { HostsService } from './hosts.service.js';

const HostId = () => Param('hostId', new ParseIdPipe('Host'));
const NOT_FOUND = 'No such host in the caller’s organization';
const NOT_ADMIN = 'The caller is not an admin';

@ApiTags('hosts')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
@Controller('hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a host and get its one-time enrollment token', description: 'Admin and above. The token is shown once.' })
  @ApiCreatedResponse({ type: HostCreatedView })
  @ApiBadRequestResponse({ description: 'Missing or invalid name' })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  create(@CurrentUser() user: UserPrincipal, @Body() dto: CreateHostDto) {
    return this.hosts.create(user.organizationId, dto.name);
  }

  @Get()
  @ApiOperation({ summary: "The organization's hosts, with their online status" })
  @ApiOkResponse({ type: HostView, isArray: true })
  list(@CurrentUser() user: UserPrincipal) {
    return this.hosts.list(user.organizationId);
  }

  @Get(':hostId')
  @ApiOperation({ summary: 'One host' })
  @ApiOkResponse({ type: HostView })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  get(@CurrentUser() user: UserPrincipal, @HostId() hostId: string) {
    return this.hosts.get(user.organizationId, hostId);
  }

  @Delete(':hostId')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a host with its data', description: 'Admin and above. Revokes its agent token and closes its socket at once.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  remove(@CurrentUser() user: UserPrincipal, @HostId() hostId: string) {
    return this.hosts.remove(user.organizationId, hostId);
  }

  @Post(':hostId/enrollment-token')
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a fresh enrollment token for a host', description: 'Admin and above. Unused earlier tokens of the host stop working.' })
  @ApiCreatedResponse({ type: EnrollmentTokenView })
  @ApiForbiddenResponse({ description: NOT_ADMIN })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  issueEnrollmentToken(@CurrentUser() user: UserPrincipal, @HostId() hostId: string) {
    return this.hosts.issueEnrollmentToken(user.organizationId, hostId);
  }
}
