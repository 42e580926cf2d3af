import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { Environment } from '../config/environment.js';
import type { Role } from '../common/roles.js';

/** Claims of a person's access token. */
export interface UserClaims {
  typ: 'user';
  sub: string;
  org: string;
  role: Role;
}

/** Claims of an agent token: the subject is the host; `gen` must match the host's token generation. */
export interface AgentClaims {
  typ: 'agent';
  sub: string;
  org: string;
  gen: number;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async signUserToken(claims: Omit<UserClaims, 'typ'>): Promise<{ accessToken: string; expiresIn: number }> {
    const expiresIn = this.seconds('ACCESS_TOKEN_TTL');
    return { accessToken: await this.jwt.signAsync({ typ: 'user', ...claims }, { expiresIn }), expiresIn };
  }

  signAgentToken(claims: Omit<AgentClaims, 'typ'>): Promise<string> {
    return this.jwt.signAsync({ typ: 'agent', ...claims }, { expiresIn: this.seconds('AGENT_TOKEN_TTL') });
  }

  /** Verifies signature and expiry and that the token is of the expected kind; 401 otherwise. */
  async verify(token: string, kind: 'user'): Promise<UserClaims>;
  async verify(token: string, kind: 'agent'): Promise<AgentClaims>;
  async verify(token: string, kind: 'user' | 'agent'): Promise<UserClaims | AgentClaims> {
    let claims: UserClaims | AgentClaims;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: ['HS256'] });
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'Token has expired' : 'Token is not valid');
    }
    if (claims.typ !== kind || typeof claims.sub !== 'string' || typeof claims.org !== 'string') {
      throw new UnauthorizedException(kind === 'agent' ? 'An agent token is required' : 'A user access token is required');
    }
    return claims;
  }

  private seconds(key: 'ACCESS_TOKEN_TTL' | 'AGENT_TOKEN_TTL'): number {
    return Math.floor(this.config.getOrThrow('ms', { infer: true })[key] / 1000);
  }
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
