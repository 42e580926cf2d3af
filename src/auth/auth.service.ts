import { BadRequestException, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../common/password.js';
import { TokenService } from '../tokens/token.service.js';
import { OrganizationsRepository } from '../users/organizations.repository.js';
import { UsersRepository } from '../users/users.repository.js';
import type { UserPrincipal } from '../common/principal.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { SignupDto } from './dto/signup.dto.js';

const SET_UP = 'Signup is closed: this server is already set up, and an administrator adds users (POST /api/users)';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly tokens: TokenService,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /** Open per SIGNUP_ENABLED; first-run is checked before the costly hash and again, atomically, when creating. */
  async signup(dto: SignupDto) {
    const mode = this.config.getOrThrow('SIGNUP_ENABLED', { infer: true });
    if (mode === false) throw new ForbiddenException('Signup is disabled on this server; an administrator adds users (POST /api/users)');
    const onlyIfFirst = mode === 'first-run';
    if (onlyIfFirst && (await this.organizations.any())) throw new ForbiddenException(SET_UP);
    const created = await this.users.createOrganizationWithOwner(dto.organization, dto.email, await hashPassword(dto.password), { onlyIfFirst });
    if (!created) throw new ForbiddenException(SET_UP);
    const { organization, user } = created;
    const { accessToken } = await this.tokens.signUserToken({ sub: user.id, org: organization.id, role: user.role });
    return { user, organization, accessToken };
  }

  /** What a client needs to choose between "create your organization" and "sign in". */
  async setupState() {
    const mode = this.config.getOrThrow('SIGNUP_ENABLED', { infer: true });
    const hasOrganization = await this.organizations.any();
    return { signupOpen: mode === true || (mode === 'first-run' && !hasOrganization), hasOrganization };
  }

  /** Same 401 for an unknown email and a wrong password, in about the same time. */
  async login(dto: LoginDto) {
    const user = await this.users.findByEmail(dto.email);
    const valid = await verifyPassword(dto.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !valid) throw new UnauthorizedException('Invalid email or password');
    return this.tokens.signUserToken({ sub: user.id, org: user.organizationId, role: user.role });
  }

  /** A wrong current password is a 400, not a 401: the session itself is fine, and a 401 would sign the dashboard out. */
  async changePassword(caller: UserPrincipal, dto: ChangePasswordDto): Promise<void> {
    const user = await this.users.findById(caller.userId);
    if (!user || !(await verifyPassword(dto.currentPassword, user.passwordHash))) throw new BadRequestException('currentPassword is not correct');
    await this.users.updatePasswordHash(user.id, await hashPassword(dto.newPassword));
  }
}
