import { api } from '../../api';

export interface SetupState {
  signupOpen: boolean;
  hasOrganization: boolean;
}

export const setupState = () => api<SetupState>('GET', '/api/auth/setup');

/** Only a place inside the dashboard: `?next=//evil.example` must not send anyone away. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}
