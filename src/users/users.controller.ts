import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import type { UserPrincipal } from '../common/principal.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UserAccountView } from './dto/user.view.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing, invalid or expired access token' })
@ApiForbiddenResponse({ description: 'The caller is not an admin, or asks for a role above their own' })
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: "Add a user to the caller's organization", description: 'Admin and above; nobody can grant a role above their own.' })
  @ApiCreatedResponse({ type: UserAccountView })
  @ApiBadRequestResponse({ description: 'Invalid email, weak password or unknown role' })
  @ApiConflictResponse({ description: 'A user with this email already exists' })
  create(@CurrentUser() caller: UserPrincipal, @Body() dto: CreateUserDto) {
    return this.users.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: "The users of the caller's organization", description: 'Admin and above.' })
  @ApiOkResponse({ type: UserAccountView, isArray: true })
  list(@CurrentUser() caller: UserPrincipal) {
    return this.users.list(caller);
  }
}
