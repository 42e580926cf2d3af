import { ConflictException, Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Role } from '../common/roles.js';

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

  /** Creates an organization and its owner together: both or neither. */
  async createOrganizationWithOwner(organization: string, email: string, passwordHash: string) {
    return this.prisma
      .$transaction(
        async (tx) => {
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

  list(organizationId: string): Promise<UserView[]> {
    return this.prisma.user.findMany({ where: { organizationId }, select: USER_VIEW, orderBy: { createdAt: 'asc' } });
  }
}
