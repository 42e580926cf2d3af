import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
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
import type { UserPrincipal } from '../common/principal.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
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

  @Patch(':userId')
  @ApiOperation({
    summary: "Change a user's role",
    description: 'Admin and above; nobody grants a role above their own or changes a user above it. The organization always keeps an owner and an admin or owner (409).',
  })
  @ApiOkResponse({ type: UserAccountView })
  @ApiBadRequestResponse({ description: 'Unknown role' })
  @ApiNotFoundResponse({ description: 'No such user in the caller’s organization' })
  @ApiConflictResponse({ description: 'The change would leave the organization without an owner or without an admin' })
  changeRole(@CurrentUser() caller: UserPrincipal, @Param('userId', new ParseIdPipe('User')) userId: string, @Body() dto: UpdateUserDto) {
    return this.users.changeRole(caller, userId, dto);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a user', description: 'Admin and above; never yourself, never an owner.' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ description: 'No such user in the caller’s organization' })
  remove(@CurrentUser() caller: UserPrincipal, @Param('userId', new ParseIdPipe('User')) userId: string) {
    return this.users.remove(caller, userId);
  }
}
