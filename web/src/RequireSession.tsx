import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { session, SESSION_EXPIRED } from './api';

export type Role = 'owner' | 'admin' | 'operator' | 'viewer';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, owner: 3 };

export interface Me {
  userId: string;
  organizationId: string;
  role: Role;
}

/** Who is signed in, read from the access token's claims (for what to show; the API decides what is allowed). */
export function readMe(token: string | null): Me | null {
  try {
    const claims = JSON.parse(atob(token!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub: string; org: string; role: Role; exp?: number };
    if (claims.exp && claims.exp * 1000 < Date.now()) return null;
    return { userId: claims.sub, organizationId: claims.org, role: claims.role };
  } catch {
    return null;
  }
}

const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  return useContext(MeContext)!;
}

/** Whether the signed-in person has at least `role`. */
export function useCan(role: Role): boolean {
  return RANK[useMe().role] >= RANK[role];
}

/** Without a valid session, to the login page, which brings the person back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const me = readMe(session.token);
  const here = `${location.pathname}${location.search}`;
  useEffect(() => {
    const expired = () => {
      session.clear();
      navigate(`/login?next=${encodeURIComponent(here)}&expired=1`, { replace: true });
    };
    window.addEventListener(SESSION_EXPIRED, expired);
    return () => window.removeEventListener(SESSION_EXPIRED, expired);
  }, [navigate, here]);
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(here)}`} replace />;
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}
