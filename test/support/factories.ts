import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct-horse-42';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}@example.test`;
}

export interface Tenant {
  organizationId: string;
  userId: string;
  email: string;
  token: string;
}

/** Signs up a new organization; returns its owner's credentials. */
export async function signup(t: TestApp, organization = `Org ${randomUUID().slice(0, 8)}`): Promise<Tenant> {
  const email = uniqueEmail('owner');
  const res = await t.http().post('/api/auth/signup').send({ email, password: PASSWORD, organization }).expect(201);
  return { organizationId: res.body.organization.id, userId: res.body.user.id, email, token: res.body.accessToken };
}

/** Adds a user with `role` to the tenant's organization and logs them in. */
export async function addUser(t: TestApp, tenant: Tenant, role: 'admin' | 'operator' | 'viewer'): Promise<string> {
  const email = uniqueEmail(role);
  await t.http().post('/api/users').auth(tenant.token, { type: 'bearer' }).send({ email, password: PASSWORD, role }).expect(201);
  const login = await t.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
  return login.body.accessToken;
}

/** Creates a host and enrolls it; returns its id and agent token. */
export async function enrolledHost(t: TestApp, tenant: Tenant, name = 'host'): Promise<{ hostId: string; agentToken: string }> {
  const created = await t.http().post('/api/hosts').auth(tenant.token, { type: 'bearer' }).send({ name }).expect(201);
  const enrolled = await t
    .http()
    .post('/api/agent/enroll')
    .send({ enrollmentToken: created.body.enrollmentToken, hostname: `${name}.local`, agentVersion: '1.0.0' })
    .expect(201);
  return enrolled.body;
}
