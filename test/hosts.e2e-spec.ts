import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('hosts and agent enrollment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const createHost = async (tenant: Tenant, name = 'web-1') =>
    (await t.http().post('/api/hosts').set(bearer(tenant.token)).send({ name }).expect(201)).body;
  const enroll = (enrollmentToken: string) =>
    t.http().post('/api/agent/enroll').send({ enrollmentToken, hostname: 'web-1.local', agentVersion: '1.2.3' });

  it('runs the whole flow: signup, login, create host, enroll, agent token', async () => {
    const tenant = await signup(t);
    const login = await t.http().post('/api/auth/login').send({ email: tenant.email, password: 'correct-horse-42' }).expect(200);
    const created = await t.http().post('/api/hosts').set(bearer(login.body.accessToken)).send({ name: '  web-1  ' }).expect(201);
    expect(created.body.host).toMatchObject({ name: 'web-1', status: 'offline', lastSeenAt: null, agentVersion: null, hostname: null });
    expect(created.body.enrollmentToken).toMatch(/^dpe_[A-Za-z0-9_-]{43}$/);
    expect(new Date(created.body.enrollmentTokenExpiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    const [stored] = await t.sql.query<{ token_hash: string }>('SELECT token_hash FROM enrollment_tokens WHERE host_id = $1', [created.body.host.id]);
    expect(stored.token_hash).not.toContain(created.body.enrollmentToken);

    const enrolled = await enroll(created.body.enrollmentToken).expect(201);
    expect(enrolled.body).toEqual({ hostId: created.body.host.id, agentToken: expect.any(String) });
    const claims = JSON.parse(Buffer.from(enrolled.body.agentToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ typ: 'agent', sub: created.body.host.id, org: tenant.organizationId });

    const list = await t.http().get('/api/hosts').set(bearer(tenant.token)).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.host.id, name: 'web-1', status: 'offline', hostname: 'web-1.local', agentVersion: '1.2.3' })]);
    expect(list.body[0].tokenGeneration).toBeUndefined();
    await t.http().get('/api/agent/me').set(bearer(enrolled.body.agentToken)).expect(200);
  });

  it('refuses a reused enrollment token', async () => {
    const tenant = await signup(t);
    const host = await createHost(tenant);
    await enroll(host.enrollmentToken).expect(201);
    const again = await enroll(host.enrollmentToken).expect(401);
    expect(again.body.message).toBe('Enrollment token has already been used; ask for a new one');
    await enroll('dpe_made-up').expect(401, { message: 'Enrollment token is not valid', error: 'Unauthorized', statusCode: 401 });
  });

  it('lets only one of two concurrent enrollments with the same token win', async () => {
    const tenant = await signup(t);
    const host = await createHost(tenant);
    const results = await Promise.all([enroll(host.enrollmentToken), enroll(host.enrollmentToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 401]);
  });

  it('refuses a deleted host\'s agent token and forgets the host', async () => {
    const tenant = await signup(t);
    const { hostId, agentToken } = await enrolledHost(t, tenant);
    await t.http().delete(`/api/hosts/${hostId}`).set(bearer(tenant.token)).expect(204);
    const res = await t.http().get('/api/agent/me').set(bearer(agentToken)).expect(401);
    expect(res.body.message).toBe('Agent token has been revoked');
    await t.http().get(`/api/hosts/${hostId}`).set(bearer(tenant.token)).expect(404);
    expect(await t.sql.query('SELECT 1 FROM enrollment_tokens WHERE host_id = $1', [hostId])).toHaveLength(0);
  });

  it('revokes the previous agent token when a host re-enrolls', async () => {
    const tenant = await signup(t);
    const { hostId, agentToken: first } = await enrolledHost(t, tenant);
    const fresh = await t.http().post(`/api/hosts/${hostId}/enrollment-token`).set(bearer(tenant.token)).expect(201);
    const second = (await enroll(fresh.body.enrollmentToken).expect(201)).body.agentToken;
    await t.http().get('/api/agent/me').set(bearer(first)).expect(401);
    await t.http().get('/api/agent/me').set(bearer(second)).expect(200);
  });

  it('replaces an unused enrollment token when a new one is issued', async () => {
    const tenant = await signup(t);
    const host = await createHost(tenant);
    await t.http().post(`/api/hosts/${host.host.id}/enrollment-token`).set(bearer(tenant.token)).expect(201);
    await enroll(host.enrollmentToken).expect(401);
  });

  it('lets viewers read but not create or delete hosts (403)', async () => {
    const tenant = await signup(t);
    const viewer = await addUser(t, tenant, 'viewer');
    const operator = await addUser(t, tenant, 'operator');
    const host = await createHost(tenant);
    const res = await t.http().post('/api/hosts').set(bearer(viewer)).send({ name: 'nope' }).expect(403);
    expect(res.body.message).toBe('This action needs the admin role or higher');
    await t.http().post('/api/hosts').set(bearer(operator)).send({ name: 'nope' }).expect(403);
    await t.http().delete(`/api/hosts/${host.host.id}`).set(bearer(viewer)).expect(403);
    await t.http().get(`/api/hosts/${host.host.id}`).set(bearer(viewer)).expect(200);
    const admin = await addUser(t, tenant, 'admin');
    await t.http().post('/api/hosts').set(bearer(admin)).send({ name: 'yes' }).expect(201);
  });

  it('answers 404 for another tenant\'s host, whatever the action', async () => {
    const [alice, bob] = [await signup(t), await signup(t)];
    const host = await createHost(alice);
    const path = `/api/hosts/${host.host.id}`;
    await t.http().get(path).set(bearer(bob.token)).expect(404, { message: 'Host not found', error: 'Not Found', statusCode: 404 });
    await t.http().delete(path).set(bearer(bob.token)).expect(404);
    await t.http().post(`${path}/enrollment-token`).set(bearer(bob.token)).expect(404);
    expect((await t.http().get('/api/hosts').set(bearer(bob.token)).expect(200)).body).toEqual([]);
    await t.http().get(path).set(bearer(alice.token)).expect(200);
    await t.http().get('/api/hosts/not-a-uuid').set(bearer(alice.token)).expect(404);
  });

  it.each([
    [{}, /name must be a string/],
    [{ name: '' }, /name must be longer than or equal to 1/],
    [{ name: 'x'.repeat(101) }, /name must be shorter than or equal to 100/],
    [{ name: 'web', id: 'mine' }, /property id should not exist/],
    [{ name: 'bad\u0000name' }, /name must not contain control characters/],
  ])('rejects a bad host %j with 400', async (body, message) => {
    const tenant = await signup(t);
    const res = await t.http().post('/api/hosts').set(bearer(tenant.token)).send(body).expect(400);
    expect(res.body.message.join('\n')).toMatch(message);
    expect((await t.http().get('/api/hosts').set(bearer(tenant.token))).body).toEqual([]);
  });

  it('rejects bad enrollment input with 400', async () => {
    const res = await t.http().post('/api/agent/enroll').send({ enrollmentToken: 5, hostname: 'h' }).expect(400);
    expect(res.body.message).toEqual(expect.arrayContaining(['enrollmentToken must be a string', 'agentVersion must be a string']));
  });
});

describe('enrollment token expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ENROLLMENT_TOKEN_TTL: '1s' });
  });
  afterAll(() => t.close());

  it('refuses an expired enrollment token', async () => {
    const tenant = await signup(t);
    const host = (await t.http().post('/api/hosts').auth(tenant.token, { type: 'bearer' }).send({ name: 'late' }).expect(201)).body;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const res = await t.http().post('/api/agent/enroll').send({ enrollmentToken: host.enrollmentToken, hostname: 'h', agentVersion: '1' }).expect(401);
    expect(res.body.message).toBe('Enrollment token has expired; ask for a new one');
  });
});
