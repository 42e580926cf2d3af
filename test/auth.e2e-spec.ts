import { addUser, enrolledHost, PASSWORD, signup, uniqueEmail } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('accounts and authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_THROTTLE_LIMIT: '5' });
  });
  afterAll(() => t.close());

  const count = async (table: string) => Number((await t.sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('signs up an owner with a new organization and logs in', async () => {
    const email = uniqueEmail();
    const res = await t.http().post('/api/auth/signup').send({ email: email.toUpperCase(), password: PASSWORD, organization: 'Acme' }).expect(201);
    expect(res.body.user).toMatchObject({ email, role: 'owner' });
    expect(res.body.user.passwordHash).toBeUndefined();
    expect(res.body.organization).toMatchObject({ name: 'Acme' });
    expect(typeof res.body.accessToken).toBe('string');

    const login = await t.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
    expect(login.body).toEqual({ accessToken: expect.any(String), expiresIn: 3600 });
    const [row] = await t.sql.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email]);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('answers 401 with the same message for a wrong password and an unknown email', async () => {
    const { email } = await signup(t);
    const wrong = await t.http().post('/api/auth/login').send({ email, password: 'not-the-password-1' }).expect(401);
    const unknown = await t.http().post('/api/auth/login').send({ email: uniqueEmail(), password: PASSWORD }).expect(401);
    expect(wrong.body.message).toBe('Invalid email or password');
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('throttles repeated login attempts for one account with 429', async () => {
    const { email } = await signup(t);
    for (let i = 0; i < 5; i++) await t.http().post('/api/auth/login').send({ email, password: 'wrong-password-1' }).expect(401);
    const res = await t.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(429);
    expect(res.body.message).toMatch(/Too many login attempts/);
    // Another account from the same address is not locked out.
    const other = await signup(t);
    await t.http().post('/api/auth/login').send({ email: other.email, password: PASSWORD }).expect(200);
  });

  it('refuses a duplicate email with 409 and writes nothing', async () => {
    const { email } = await signup(t);
    const [orgs, users] = [await count('organizations'), await count('users')];
    const res = await t.http().post('/api/auth/signup').send({ email, password: PASSWORD, organization: 'Second' }).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, message: 'A user with this email already exists' });
    expect(await count('organizations')).toBe(orgs);
    expect(await count('users')).toBe(users);
  });

  it.each([
    [{ email: 'x@example.test', password: 'short1', organization: 'A' }, /password must be at least 10 characters/],
    [{ email: 'x@example.test', password: 'aaaaaaaaaaaa', organization: 'A' }, /password must mix/],
    [{ email: 'not-an-email', password: PASSWORD, organization: 'A' }, /email must be a valid email address/],
    [{ email: 'x@example.test', password: PASSWORD }, /organization must be a string/],
    [{ email: 'x@example.test', password: PASSWORD, organization: 'A', admin: true }, /property admin should not exist/],
    [{ email: 'x@example.test', password: PASSWORD, organization: 42 }, /organization must be a string/],
    [{ email: 'x@example.test', password: PASSWORD, organization: 'A'.repeat(101) }, /organization must be shorter than or equal to 100/],
    [{ email: `${'a'.repeat(250)}@example.test`, password: PASSWORD, organization: 'A' }, /email must be shorter than or equal to 254/],
  ])('rejects bad signup input %j with 400', async (body, message) => {
    const res = await t.http().post('/api/auth/signup').send(body).expect(400);
    expect(res.body.error).toBe('Bad Request');
    expect(res.body.message.join('\n')).toMatch(message);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await t.http().post('/api/auth/signup').set('content-type', 'application/json').send('{"email": ').expect(400);
    expect(res.body.statusCode).toBe(400);
  });

  it('lets an admin add users, but never above their own role', async () => {
    const tenant = await signup(t);
    const admin = await addUser(t, tenant, 'admin');
    const viewer = await addUser(t, tenant, 'viewer');
    const body = (role: string) => ({ email: uniqueEmail(), password: PASSWORD, role });
    await t.http().post('/api/users').auth(admin, { type: 'bearer' }).send(body('operator')).expect(201);
    const escalate = await t.http().post('/api/users').auth(admin, { type: 'bearer' }).send(body('owner')).expect(403);
    expect(escalate.body.message).toBe('A admin cannot create a user with the owner role');
    await t.http().post('/api/users').auth(viewer, { type: 'bearer' }).send(body('viewer')).expect(403);
    await t.http().post('/api/users').auth(admin, { type: 'bearer' }).send(body('superuser')).expect(400);
    const list = await t.http().get('/api/users').auth(admin, { type: 'bearer' }).expect(200);
    expect(list.body).toHaveLength(4);
    expect(list.body.every((u: { organizationId: string }) => u.organizationId === tenant.organizationId)).toBe(true);
  });

  it('refuses missing, malformed and forged tokens', async () => {
    await t.http().get('/api/hosts').expect(401);
    await t.http().get('/api/hosts').set('authorization', 'Basic abc').expect(401);
    await t.http().get('/api/hosts').auth('not.a.jwt', { type: 'bearer' }).expect(401);
    const { token } = await signup(t);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    await t.http().get('/api/hosts').auth(forged, { type: 'bearer' }).expect(401);
  });

  it('never accepts an agent token where a user token is expected, nor the reverse', async () => {
    const tenant = await signup(t);
    const { agentToken, hostId } = await enrolledHost(t, tenant);
    const asUser = await t.http().get('/api/hosts').auth(agentToken, { type: 'bearer' }).expect(401);
    expect(asUser.body.message).toBe('A user access token is required');
    const asAgent = await t.http().get('/api/agent/me').auth(tenant.token, { type: 'bearer' }).expect(401);
    expect(asAgent.body.message).toBe('An agent token is required');
    const me = await t.http().get('/api/agent/me').auth(agentToken, { type: 'bearer' }).expect(200);
    expect(me.body).toEqual({ hostId, organizationId: tenant.organizationId });
  });
});

describe('signup switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGNUP_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('answers 403 and creates nothing', async () => {
    const res = await t.http().post('/api/auth/signup').send({ email: uniqueEmail(), password: PASSWORD, organization: 'A' }).expect(403);
    expect(res.body.message).toMatch(/Signup is disabled/);
  });
});
