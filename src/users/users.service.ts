import { ForbiddenException, Injectable } from '@nestjs/common';
import { hashPassword } from '../common/password.js';
import type { UserPrincipal } from '../common/principal.js';
import { hasRole } from '../common/roles.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UsersRepository, type UserView } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** Adds a user to the caller's organization; nobody can grant a role above their own. */
  async create(caller: UserPrincipal, dto: CreateUserDto): Promise<UserView> {
    if (!hasRole(caller.role, dto.role)) {
      throw new ForbiddenException(`A ${caller.role} cannot create a user with the ${dto.role} role`);
    }
    return this.users.create(caller.organizationId, dto.email, await hashPassword(dto.password), dto.role);
  }

  list(caller: UserPrincipal): Promise<UserView[]> {
    return this.users.list(caller.organizationId);
  }
}
