import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { INSTANCE_OPERATOR } from '../common/auth.decorators.js';
import type { UserPrincipal } from '../common/principal.js';
import { OrganizationsRepository } from '../users/organizations.repository.js';

/**
 * Enforces @InstanceOperator(): the caller belongs to the first organization created on the
 * instance (the role is checked by RolesGuard before). Everyone else gets 403: these operations
 * see or touch every tenant's data.
 */
@Injectable()
export class InstanceOperatorGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly organizations: OrganizationsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.reflector.getAllAndOverride<boolean>(INSTANCE_OPERATOR, [context.getHandler(), context.getClass()])) return true;
    const principal: UserPrincipal | undefined = context.switchToHttp().getRequest().principal;
    if (principal?.kind !== 'user' || principal.organizationId !== (await this.organizations.firstId())) {
      throw new ForbiddenException("Only the instance operators (owners and admins of the instance's first organization) may do this");
    }
    return true;
  }
}
