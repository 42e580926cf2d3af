import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_AGENT, IS_PUBLIC } from '../common/auth.decorators.js';
import { AgentAuthService } from '../hosts/agent-auth.service.js';
import { bearerToken, TokenService } from '../tokens/token.service.js';

/**
 * Global guard: every route needs a user access token unless marked @Public() or @AgentOnly()
 * (agent token). The two kinds of token are never accepted in each other's place.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly agents: AgentAuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Missing bearer token');
    if (this.reflector.getAllAndOverride<boolean>(IS_AGENT, targets)) {
      request.principal = await this.agents.authenticate(token);
    } else {
      const claims = await this.tokens.verify(token, 'user');
      request.principal = { kind: 'user', userId: claims.sub, organizationId: claims.org, role: claims.role };
    }
    return true;
  }
}
