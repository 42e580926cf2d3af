import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { TokenService } from '../tokens/token.service.js';
import { EnrollDto } from './dto/enroll.dto.js';
import { hashEnrollmentToken, newEnrollmentToken } from './enrollment-token.js';
import { HostRevocations } from './host-revocations.js';
import { toHostView } from './host.view.js';
import { HostsRepository } from './hosts.repository.js';

const ENROLLMENT_REFUSALS = {
  unknown: 'Enrollment token is not valid',
  used: 'Enrollment token has already been used; ask for a new one',
  expired: 'Enrollment token has expired; ask for a new one',
} as const;

@Injectable()
export class HostsService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly tokens: TokenService,
    private readonly revocations: HostRevocations,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async create(organizationId: string, name: string) {
    const { token, hash } = newEnrollmentToken();
    const expiresAt = this.enrollmentExpiry();
    const host = await this.hosts.createWithEnrollmentToken(organizationId, name, hash, expiresAt);
    return { host: toHostView(host), enrollmentToken: token, enrollmentTokenExpiresAt: expiresAt };
  }

  async list(organizationId: string) {
    return (await this.hosts.list(organizationId)).map(toHostView);
  }

  async get(organizationId: string, hostId: string) {
    const host = await this.hosts.find(organizationId, hostId);
    if (!host) throw new NotFoundException('Host not found');
    return toHostView(host);
  }

  async remove(organizationId: string, hostId: string): Promise<void> {
    if (!(await this.hosts.delete(organizationId, hostId))) throw new NotFoundException('Host not found');
    this.revocations.revoke(hostId);
  }

  async issueEnrollmentToken(organizationId: string, hostId: string) {
    const { token, hash } = newEnrollmentToken();
    const expiresAt = this.enrollmentExpiry();
    if (!(await this.hosts.replaceEnrollmentToken(organizationId, hostId, hash, expiresAt))) throw new NotFoundException('Host not found');
    return { hostId, enrollmentToken: token, expiresAt };
  }

  /** One-time enrollment token → agent token. Re-enrolling revokes the host's previous agent token. */
  async enroll(dto: EnrollDto) {
    const outcome = await this.hosts.consumeEnrollmentToken(hashEnrollmentToken(dto.enrollmentToken), dto);
    if (!outcome.ok) throw new UnauthorizedException(ENROLLMENT_REFUSALS[outcome.reason]);
    const { host } = outcome;
    this.revocations.revoke(host.id);
    const agentToken = await this.tokens.signAgentToken({ sub: host.id, org: host.organizationId, gen: host.tokenGeneration });
    return { hostId: host.id, agentToken };
  }

  private enrollmentExpiry(): Date {
    return new Date(Date.now() + this.config.getOrThrow('ms', { infer: true }).ENROLLMENT_TOKEN_TTL);
  }
}
