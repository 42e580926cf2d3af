import { randomUUID } from 'node:crypto';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    const message = (body as { message?: unknown } | undefined)?.message;
    super(`${what} failed: HTTP ${status}${message ? ` (${Array.isArray(message) ? message.join('; ') : String(message)})` : ''}`);
  }
}

export interface Credentials {
  /** A user access token with the admin role or above; used as is. */
  userToken?: string;
  /** Logged in, or signed up with a new organization when no such account exists. */
  email?: string;
  password?: string;
  organization?: string;
}

/** The REST calls of CONTRACT.md the simulator needs, over the built-in fetch. */
export class ApiClient {
  private readonly base: string;

  constructor(server: string, private token?: string) {
    this.base = `${server.replace(/\/+$/, '')}/api`;
  }

  get accessToken(): string | undefined {
    return this.token;
  }

  /**
   * Obtains a user token: the one given, else a login, else a signup. A signup follows a failed
   * login only for a 401, so a typo'd password against an existing account fails loudly (409).
   */
  async authenticate(credentials: Credentials): Promise<string> {
    if (credentials.userToken) return (this.token = credentials.userToken);
    const email = credentials.email ?? `sim-${randomUUID().slice(0, 12)}@dockpulse.local`;
    const password = credentials.password ?? `Sim-${randomUUID()}`;
    if (credentials.email) {
      try {
        return (this.token = await this.login(email, password));
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    }
    const organization = credentials.organization ?? `Simulated fleet ${randomUUID().slice(0, 8)}`;
    const created = await this.call<{ accessToken: string }>('POST', '/auth/signup', { email, password, organization }, 'signup');
    return (this.token = created.accessToken);
  }

  async login(email: string, password: string): Promise<string> {
    const body = await this.call<{ accessToken: string }>('POST', '/auth/login', { email, password }, 'login');
    return body.accessToken;
  }

  createHost(name: string): Promise<{ host: { id: string; name: string }; enrollmentToken: string }> {
    return this.call('POST', '/hosts', { name }, `creating host ${name}`);
  }

  enroll(enrollmentToken: string, hostname: string, agentVersion: string): Promise<{ hostId: string; agentToken: string }> {
    return this.call('POST', '/agent/enroll', { enrollmentToken, hostname, agentVersion }, `enrolling ${hostname}`, false);
  }

  get<T>(path: string): Promise<T> {
    return this.call('GET', path, undefined, `GET /api${path}`);
  }

  private async call<T>(method: string, path: string, body: unknown, what: string, authenticated = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated && this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, parsed, what);
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
