import type { Role } from './roles.js';

/** A person (or dashboard) authenticated by a user access token. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  organizationId: string;
  role: Role;
}

/** An agent authenticated by its agent token; the host always comes from here, never from a frame. */
export interface AgentPrincipal {
  kind: 'agent';
  hostId: string;
  organizationId: string;
}
