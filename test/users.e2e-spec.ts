import { addUser, PASSWORD, signup, type Tenant } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('managing users and passwords', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGNUP_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  const idOf = async (_tenant: Tenant, token: string) => {
    const me = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string };
    return me.sub;
  };

  it('lists the organization’s users with id, email, role and createdAt', async () => {
    const tenant = await signup(t);
    await addUser(t, tenant, 'viewer');
    const res = await t.http().get('/api/users').auth(tenant.token, { type: 'bearer' }).expect(200);
    expect(res.body).toHaveLength(2);
    expect(res.body[0]).toMatchObject({ id: tenant.userId, email: tenant.email, role: 'owner', createdAt: expect.any(String) });
    const viewer = await addUser(t, tenant, 'viewer');
    await t.http().get('/api/users').auth(viewer, { type: 'bearer' }).expect(403);
  });

  it('changes roles within the caller’s own rank', async () => {
    const tenant = await signup(t);
    const admin = await addUser(t, tenant, 'admin');
    const viewerId = await idOf(tenant, await addUser(t, tenant, 'viewer'));
    const res = await t.http().patch(`/api/users/${viewerId}`).auth(admin, { type: 'bearer' }).send({ role: 'operator' }).expect(200);
    expect(res.body).toMatchObject({ id: viewerId, role: 'operator' });
    const grant = await t.http().patch(`/api/users/${viewerId}`).auth(admin, { type: 'bearer' }).send({ role: 'owner' }).expect(403);
    expect(grant.body.message).toBe('A admin cannot grant the owner role');
    const owner = await t.http().patch(`/api/users/${tenant.userId}`).auth(admin, { type: 'bearer' }).send({ role: 'viewer' }).expect(403);
    expect(owner.body.message).toBe('A admin cannot change the role of an owner');
    const bad = await t.http().patch(`/api/users/${viewerId}`).auth(admin, { type: 'bearer' }).send({ role: 'root' }).expect(400);
    expect(bad.body.message.join('\n')).toMatch(/^role must be one of/);
  });

  it('keeps an owner and an admin in every organization', async () => {
    const tenant = await signup(t);
    const self = await t.http().patch(`/api/users/${tenant.userId}`).auth(tenant.token, { type: 'bearer' }).send({ role: 'viewer' }).expect(409);
    expect(self.body.message).toMatch(/must keep an owner/);
  });

  it('answers 404 for another tenant’s user and for ids that cannot exist', async () => {
    const tenant = await signup(t);
    const other = await signup(t);
    await t.http().patch(`/api/users/${other.userId}`).auth(tenant.token, { type: 'bearer' }).send({ role: 'viewer' }).expect(404);
    await t.http().delete(`/api/users/${other.userId}`).auth(tenant.token, { type: 'bearer' }).expect(404);
    await t.http().delete('/api/users/not-an-id').auth(tenant.token, { type: 'bearer' }).expect(404);
  });

  it('removes users, but never yourself nor the owner', async () => {
    const tenant = await signup(t);
    const admin = await addUser(t, tenant, 'admin');
    const adminId = await idOf(tenant, admin);
    const operatorId = await idOf(tenant, await addUser(t, tenant, 'operator'));
    await t.http().delete(`/api/users/${operatorId}`).auth(admin, { type: 'bearer' }).expect(204);
    const self = await t.http().delete(`/api/users/${adminId}`).auth(admin, { type: 'bearer' }).expect(403);
    expect(self.body.message).toBe('You cannot remove yourself');
    const owner = await t.http().delete(`/api/users/${tenant.userId}`).auth(admin, { type: 'bearer' }).expect(403);
    expect(owner.body.message).toBe('The owner cannot be removed');
    const list = await t.http().get('/api/users').auth(admin, { type: 'bearer' }).expect(200);
    expect(list.body.map((u: { id: string }) => u.id).sort()).toEqual([tenant.userId, adminId].sort());
  });

  it('changes one’s own password after checking the current one', async () => {
    const tenant = await signup(t);
    const viewer = await addUser(t, tenant, 'viewer');
    const email = (await t.http().get('/api/users').auth(tenant.token, { type: 'bearer' })).body.find((u: { role: string }) => u.role === 'viewer').email;
    const wrong = await t.http().post('/api/auth/password').auth(viewer, { type: 'bearer' }).send({ currentPassword: 'wrong-password-1', newPassword: 'New-Secret-77' }).expect(400);
    expect(wrong.body.message).toBe('currentPassword is not correct');
    const weak = await t.http().post('/api/auth/password').auth(viewer, { type: 'bearer' }).send({ currentPassword: PASSWORD, newPassword: 'short' }).expect(400);
    expect(weak.body.message.join('\n')).toMatch(/newPassword must be at least 10 characters/);
    await t.http().post('/api/auth/password').send({ currentPassword: PASSWORD, newPassword: 'New-Secret-77' }).expect(401);
    await t.http().post('/api/auth/password').auth(viewer, { type: 'bearer' }).send({ currentPassword: PASSWORD, newPassword: 'New-Secret-77' }).expect(204);
    await t.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(401);
    await t.http().post('/api/auth/login').send({ email, password: 'New-Secret-77' }).expect(200);
  });
});
