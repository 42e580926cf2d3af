import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { CreateHostDto } from './dto/create-host.dto.js';
import { HostsService } from './hosts.service.js';

const HostId = () => Param('hostId', new ParseIdPipe('Host'));

@Controller('hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Post()
  @Roles('admin')
  create(@CurrentUser() user: UserPrincipal, @Body() dto: CreateHostDto) {
    return this.hosts.create(user.organizationId, dto.name);
  }

  @Get()
  list(@CurrentUser() user: UserPrincipal) {
    return this.hosts.list(user.organizationId);
  }

  @Get(':hostId')
  get(@CurrentUser() user: UserPrincipal, @HostId() hostId: string) {
    return this.hosts.get(user.organizationId, hostId);
  }

  @Delete(':hostId')
  @Roles('admin')
  @HttpCode(204)
  remove(@CurrentUser() user: UserPrincipal, @HostId() hostId: string) {
    return this.hosts.remove(user.organizationId, hostId);
  }

  @Post(':hostId/enrollment-token')
  @Roles('admin')
  issueEnrollmentToken(@CurrentUser() user: UserPrincipal, @HostId() hostId: string) {
    return this.hosts.issueEnrollmentToken(user.organizationId, hostId);
  }
}
