import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { hashPassword } from '../common/password.js';
import type { UserPrincipal } from '../common/principal.js';
import { hasRole, type Role } from '../common/roles.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
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

  /** Nobody grants above their own role or changes someone above it; the organization always keeps an owner and an admin. */
  async changeRole(caller: UserPrincipal, userId: string, dto: UpdateUserDto): Promise<UserView> {
    const target = await this.findOwn(caller, userId);
    if (!hasRole(caller.role, dto.role)) throw new ForbiddenException(`A ${caller.role} cannot grant the ${dto.role} role`);
    if (!hasRole(caller.role, target.role)) throw new ForbiddenException(`A ${caller.role} cannot change the role of an ${target.role}`);
    if (target.role === dto.role) return target;
    if (target.role === 'owner' && (await this.users.countWithRoles(caller.organizationId, ['owner'])) <= 1) {
      throw new ConflictException('The organization must keep an owner: make someone else owner first');
    }
    if (!hasRole(dto.role, 'admin') && (await this.users.countWithRoles(caller.organizationId, MANAGERS)) <= 1) {
      throw new ConflictException('The organization must keep an admin or owner: promote someone else first');
    }
    return this.users.updateRole(target.id, dto.role);
  }

  async remove(caller: UserPrincipal, userId: string): Promise<void> {
    const target = await this.findOwn(caller, userId);
    if (target.id === caller.userId) throw new ForbiddenException('You cannot remove yourself');
    if (target.role === 'owner') throw new ForbiddenException('The owner cannot be removed');
    await this.users.delete(target.id);
  }

  private async findOwn(caller: UserPrincipal, userId: string): Promise<UserView> {
    const target = await this.users.findInOrganization(caller.organizationId, userId);
    if (!target) throw new NotFoundException('User not found');
    return target;
  }
}

const MANAGERS: Role[] = ['owner', 'admin'];
