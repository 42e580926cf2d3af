import { ConflictException, Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Role } from '../common/roles.js';

/** Serializes first-run signups, so two people racing for a fresh instance cannot both create an organization. */
const FIRST_ORGANIZATION_LOCK_KEY = 0x44500002;

const USER_VIEW = { id: true, email: true, role: true, organizationId: true, createdAt: true } as const;
export type UserView = Prisma.UserGetPayload<{ select: typeof USER_VIEW }>;

function duplicateEmail(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new ConflictException('A user with this email already exists');
  }
  throw error;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates an organization and its owner together: both or neither. With `onlyIfFirst`, creates
   * nothing and answers null when an organization already exists.
   */
  async createOrganizationWithOwner(organization: string, email: string, passwordHash: string, { onlyIfFirst = false } = {}) {
    return this.prisma
      .$transaction(
        async (tx) => {
          if (onlyIfFirst) {
            await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${FIRST_ORGANIZATION_LOCK_KEY}::bigint)`;
            if (await tx.organization.findFirst({ select: { id: true } })) return null;
          }
          const org = await tx.organization.create({ data: { name: organization } });
          const user = await tx.user.create({ data: { organizationId: org.id, email, passwordHash, role: 'owner' }, select: USER_VIEW });
          return { organization: org, user };
        },
        { timeout: 10_000 },
      )
      .catch(duplicateEmail);
  }

  create(organizationId: string, email: string, passwordHash: string, role: Role): Promise<UserView> {
    return this.prisma.user.create({ data: { organizationId, email, passwordHash, role }, select: USER_VIEW }).catch(duplicateEmail);
  }

  findByEmail(email: string) {
    return this.prisma.user.findUnique({ where: { email } });
  }

  findById(id: string) {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findInOrganization(organizationId: string, id: string): Promise<UserView | null> {
    return this.prisma.user.findFirst({ where: { id, organizationId }, select: USER_VIEW });
  }

  /** How many users of the organization hold one of `roles`. */
  countWithRoles(organizationId: string, roles: Role[]): Promise<number> {
    return this.prisma.user.count({ where: { organizationId, role: { in: roles } } });
  }

  updateRole(id: string, role: Role): Promise<UserView> {
    return this.prisma.user.update({ where: { id }, data: { role }, select: USER_VIEW });
  }

  updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    return this.prisma.user.update({ where: { id }, data: { passwordHash }, select: { id: true } }).then(() => undefined);
  }

  async delete(id: string): Promise<void> {
    await this.prisma.user.delete({ where: { id } });
  }

  list(organizationId: string): Promise<UserView[]> {
    return this.prisma.user.findMany({ where: { organizationId }, select: USER_VIEW, orderBy: { createdAt: 'asc' } });
  }
}
