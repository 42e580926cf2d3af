import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AgentPrincipal, UserPrincipal } from './principal.js';
import type { Role } from './roles.js';

export const IS_PUBLIC = 'dockpulse:public';
export const IS_AGENT = 'dockpulse:agent';
export const REQUIRED_ROLE = 'dockpulse:role';
export const INSTANCE_OPERATOR = 'dockpulse:instance-operator';

/** No credential needed (signup, login, enrollment, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only an agent token is accepted; user tokens are refused. */
export const AgentOnly = () => SetMetadata(IS_AGENT, true);
/** The least role a user needs: owner > admin > operator > viewer. */
export const Roles = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
/** Server-wide operations: owners and admins of the instance's first organization only. */
export const InstanceOperator = () => applyDecorators(Roles('admin'), SetMetadata(INSTANCE_OPERATOR, true));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): UserPrincipal => ctx.switchToHttp().getRequest().principal);
export const CurrentAgent = createParamDecorator((_: unknown, ctx: ExecutionContext): AgentPrincipal => ctx.switchToHttp().getRequest().principal);
