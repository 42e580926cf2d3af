import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { AgentPrincipal } from '../common/principal.js';
import { TokenService } from '../tokens/token.service.js';
import { HostsRepository } from './hosts.repository.js';

/** Checks an agent token: valid signature, `typ: agent`, and its host still issued this generation. */
@Injectable()
export class AgentAuthService {
  constructor(
    private readonly tokens: TokenService,
    private readonly hosts: HostsRepository,
  ) {}

  async authenticate(token: string): Promise<AgentPrincipal> {
    const claims = await this.tokens.verify(token, 'agent');
    const host = await this.hosts.findAgentCredentials(claims.sub).catch(() => null);
    if (!host || host.organizationId !== claims.org || host.tokenGeneration !== claims.gen) {
      throw new UnauthorizedException('Agent token has been revoked');
    }
    return { kind: 'agent', hostId: claims.sub, organizationId: claims.org };
  }
}
