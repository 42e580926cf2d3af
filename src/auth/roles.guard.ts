import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_ROLE } from '../common/auth.decorators.js';
import type { UserPrincipal } from '../common/principal.js';
import { hasRole, type Role } from '../common/roles.js';

/** Enforces @Roles(): the caller's role must be at least the one required. Runs after AuthGuard. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    if (!required) return true;
    const principal: UserPrincipal | undefined = context.switchToHttp().getRequest().principal;
    if (principal?.kind !== 'user' || !hasRole(principal.role, required)) {
      throw new ForbiddenException(`This action needs the ${required} role or higher`);
    }
    return true;
  }
}
