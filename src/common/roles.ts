import { Role } from '../generated/prisma/enums.js';

export { Role };
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, owner: 3 };

/** owner > admin > operator > viewer: true when `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}
