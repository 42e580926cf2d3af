import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { LiveClient } from './support/live-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** 'opened' or the HTTP status the upgrade was refused with. */
const attempt = (t: TestApp, query: string) =>
  LiveClient.open(t, query).then(
    async (client) => {
      await client.close();
      return 'opened';
    },
    (error: { statusCode?: number }) => error.statusCode,
  );

describe('Live tickets: POST /api/live/tickets and the /live upgrade', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await signup(t);
  });
  afterAll(() => t.close());

  it('issues a single-use ticket to any logged-in user, valid for 30 s', async () => {
    const viewer = await addUser(t, tenant, 'viewer');
    const before = Date.now();
    const res = await t.http().post('/api/live/tickets').auth(viewer, { type: 'bearer' }).expect(201);
    expect(res.body).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/), expiresAt: expect.any(String) });
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(new Date(expiresAt).toISOString()).toBe(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30_000 - 1_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30_000 + 1_000);
    const again = await t.http().post('/api/live/tickets').auth(viewer, { type: 'bearer' }).expect(201);
    expect(again.body.ticket).not.toBe(res.body.ticket);
  });

  it('refuses callers without a user token', async () => {
    await t.http().post('/api/live/tickets').expect(401);
    const { agentToken } = await enrolledHost(t, tenant);
    await t.http().post('/api/live/tickets').auth(agentToken, { type: 'bearer' }).expect(401);
  });

  it('opens the socket once per ticket: a used ticket gets 401', async () => {
    const ticket = await LiveClient.ticket(t, tenant.token);
    expect(await attempt(t, `?ticket=${ticket}`)).toBe('opened');
    expect(await attempt(t, `?ticket=${ticket}`)).toBe(401);
  });

  it('answers 401 for a missing, empty, unknown or user-token ticket', async () => {
    expect(await attempt(t, '')).toBe(401);
    expect(await attempt(t, '?ticket=')).toBe(401);
    expect(await attempt(t, '?ticket=bm90LWEtdGlja2V0LWJ1dC1sb25nLWVub3VnaC10by1sb29rLWxpa2Utb25l')).toBe(401);
    expect(await attempt(t, `?ticket=${tenant.token}`)).toBe(401);
  });

  it('lets exactly one of two concurrent upgrades with the same ticket through', async () => {
    for (let round = 0; round < 5; round++) {
      const ticket = await LiveClient.ticket(t, tenant.token);
      const outcomes = await Promise.all([attempt(t, `?ticket=${ticket}`), attempt(t, `?ticket=${ticket}`)]);
      expect(outcomes.sort()).toEqual([401, 'opened'].sort());
    }
  });
});

describe('Live tickets: expiry (LIVE_TICKET_TTL)', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp({ LIVE_TICKET_TTL: '300ms' });
    tenant = await signup(t);
  });
  afterAll(() => t.close());

  it('takes the TTL from the configuration', async () => {
    const res = await t.http().post('/api/live/tickets').auth(tenant.token, { type: 'bearer' }).expect(201);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeLessThanOrEqual(300);
    expect(await attempt(t, `?ticket=${res.body.ticket}`)).toBe('opened');
  });

  it('refuses an expired ticket with 401', async () => {
    const ticket = await LiveClient.ticket(t, tenant.token);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await attempt(t, `?ticket=${ticket}`)).toBe(401);
  });
});
