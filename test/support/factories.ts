import { randomUUID } from 'node:crypto';
import { AgentClient } from './agent-client.js';
import { container, dockerId } from './telemetry.js';
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

/** An enrolled host with one container known to the inventory, its agent connected to `t`; ids are the API's. */
export async function hostWithContainer(t: TestApp, tenant: Tenant) {
  const { hostId, agentToken } = await enrolledHost(t, tenant);
  const agent = await AgentClient.connect(t.baseUrl, agentToken);
  const docker = dockerId();
  expect(await agent.send({ type: 'containers', data: [container(docker)] })).toMatchObject({ type: 'ack' });
  const list = await t.http().get(`/api/hosts/${hostId}/containers`).auth(tenant.token, { type: 'bearer' }).expect(200);
  return { hostId, agentToken, agent, docker, containerId: list.body.find((c: { dockerId: string }) => c.dockerId === docker).id as string };
}

/** A webhook channel to `url` and an enabled critical `host_offline` rule (for 10 s) over `scope` notifying it; answers the rule's id. */
export async function hostOfflineRule(t: TestApp, tenant: Tenant, url: string, scope: object = {}): Promise<string> {
  const channel = await t.http().post('/api/notification-channels').auth(tenant.token, { type: 'bearer' }).send({ name: 'hook', type: 'webhook', config: { url } }).expect(201);
  const rule = await t
    .http()
    .post('/api/alert-rules')
    .auth(tenant.token, { type: 'bearer' })
    .send({ name: 'Down', severity: 'critical', enabled: true, scope, condition: { type: 'host_offline', for: '10s' }, channelIds: [channel.body.id] })
    .expect(201);
  return rule.body.id;
}
