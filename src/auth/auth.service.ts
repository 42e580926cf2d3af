import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../common/password.js';
import { UsersRepository } from '../users/users.repository.js';
import { LoginDto } from './dto/login.dto.js';
import { SignupDto } from './dto/signup.dto.js';
import { TokenService } from './token.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async signup(dto: SignupDto) {
    if (!this.config.getOrThrow('SIGNUP_ENABLED', { infer: true })) {
      throw new ForbiddenException('Signup is disabled on this server; ask an administrator for an account');
    }
    const { organization, user } = await this.users.createOrganizationWithOwner(dto.organization, dto.email, await hashPassword(dto.password));
    const { accessToken } = await this.tokens.signUserToken({ sub: user.id, org: organization.id, role: user.role });
    return { user, organization, accessToken };
  }

  /** Same 401 for an unknown email and a wrong password, in about the same time. */
  async login(dto: LoginDto) {
    const user = await this.users.findByEmail(dto.email);
    const valid = await verifyPassword(dto.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !valid) throw new UnauthorizedException('Invalid email or password');
    return this.tokens.signUserToken({ sub: user.id, org: user.organizationId, role: user.role });
  }
}
