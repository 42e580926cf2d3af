import { PASSWORD, uniqueEmail } from './support/factories.js';
import { startIsolatedTestApp } from './support/isolated-app.js';
import type { TestApp } from './support/test-app.js';

const body = (organization = 'Acme') => ({ email: uniqueEmail(), password: PASSWORD, organization });
const organizations = async (t: TestApp) => (await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations'))[0].n;

describe('SIGNUP_ENABLED unset (first-run, the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // An empty value counts as unset: the service's own default applies, not the test app's.
    t = await startIsolatedTestApp({ SIGNUP_ENABLED: '' });
  });
  afterAll(() => t.close());

  it('lets the first person set up the instance, then answers 403 saying an admin adds users', async () => {
    expect((await t.http().get('/api/auth/setup').expect(200)).body).toEqual({ signupOpen: true, hasOrganization: false });
    const first = await t.http().post('/api/auth/signup').send(body('First')).expect(201);
    expect(first.body.user.role).toBe('owner');

    const refused = await t.http().post('/api/auth/signup').send(body('Second')).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(refused.body.message).toMatch(/administrator adds users/);
    expect(await organizations(t)).toBe(1);
    expect((await t.http().get('/api/auth/setup').expect(200)).body).toEqual({ signupOpen: false, hasOrganization: true });

    // The way in from now on: the owner adds people, who log in.
    const colleague = { email: uniqueEmail(), password: PASSWORD, role: 'viewer' };
    await t.http().post('/api/users').auth(first.body.accessToken, { type: 'bearer' }).send(colleague).expect(201);
    await t.http().post('/api/auth/login').send({ email: colleague.email, password: PASSWORD }).expect(200);
  });
});

describe('SIGNUP_ENABLED=first-run under a race', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startIsolatedTestApp({ SIGNUP_ENABLED: 'first-run' });
  });
  afterAll(() => t.close());

  it('creates exactly one organization when several people sign up at once', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => t.http().post('/api/auth/signup').send(body(`Racer ${i}`))));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 403, 403, 403, 403, 403]);
    expect(await organizations(t)).toBe(1);
  });
});

describe('SIGNUP_ENABLED=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startIsolatedTestApp({ SIGNUP_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  it('lets any number of organizations sign themselves up', async () => {
    for (const name of ['One', 'Two', 'Three']) await t.http().post('/api/auth/signup').send(body(name)).expect(201);
    expect((await t.http().get('/api/auth/setup').expect(200)).body).toEqual({ signupOpen: true, hasOrganization: true });
    expect(await organizations(t)).toBe(3);
  });
});

describe('SIGNUP_ENABLED=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startIsolatedTestApp({ SIGNUP_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('is closed even on a fresh instance', async () => {
    const refused = await t.http().post('/api/auth/signup').send(body()).expect(403);
    expect(refused.body.message).toMatch(/Signup is disabled/);
    expect((await t.http().get('/api/auth/setup').expect(200)).body).toEqual({ signupOpen: false, hasOrganization: false });
    expect(await organizations(t)).toBe(0);
  });
});
