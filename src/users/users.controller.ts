import { Body, Controller, Get, Post } from '@nestjs/common';
import { CurrentUser, Roles } from '../common/auth.decorators.js';
import type { UserPrincipal } from '../common/principal.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UsersService } from './users.service.js';

@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@CurrentUser() caller: UserPrincipal, @Body() dto: CreateUserDto) {
    return this.users.create(caller, dto);
  }

  @Get()
  list(@CurrentUser() caller: UserPrincipal) {
    return this.users.list(caller);
  }
}
