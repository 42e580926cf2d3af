import { request as httpRequest } from 'node:http';
import { PASSWORD, signup, uniqueEmail, type Tenant } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** POST /api/auth/login from a chosen local address (127.0.0.0/8 is all loopback on Linux). */
function loginFrom(t: TestApp, localAddress: string, body: object, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL('/api/auth/login', t.baseUrl);
    const req = httpRequest(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('login throttling per client address (password spraying)', () => {
  let t: TestApp;
  let victim: Tenant;
  beforeAll(async () => {
    // The default per-address limit; the per-email limit stays high, as in every spec.
    t = await startTestApp({ LOGIN_THROTTLE_ADDRESS_LIMIT: '' });
    victim = await signup(t);
  });
  afterAll(() => t.close());

  it('throttles one address trying one password on 100 emails, and only that address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const email = i === 50 ? victim.email : uniqueEmail('sprayed');
      const res = await t.http().post('/api/auth/login').send({ email, password: 'Summer2026!' });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    const firstThrottled = statuses.indexOf(429);
    expect(firstThrottled).toBeGreaterThan(0);
    expect(firstThrottled).toBeLessThanOrEqual(30);
    expect(statuses.slice(0, firstThrottled).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(firstThrottled).every((s) => s === 429)).toBe(true);
    // Another client address still logs in.
    expect(await loginFrom(t, '127.0.0.2', { email: victim.email, password: PASSWORD })).toBe(200);
  });

  it('never counts successful logins against the address (many people behind one NAT)', async () => {
    const person = await signup(t);
    for (let i = 0; i < 40; i++) expect(await loginFrom(t, '127.0.0.3', { email: person.email, password: PASSWORD })).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says the proxy is trusted', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      statuses.push(await loginFrom(t, '127.0.0.4', { email: uniqueEmail(), password: 'Winter2026!' }, { 'x-forwarded-for': `198.51.100.${i}` }));
    }
    expect(statuses).toContain(429);
  });
});

describe('login throttling behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', LOGIN_THROTTLE_ADDRESS_LIMIT: '5' });
  });
  afterAll(() => t.close());

  it('counts per forwarded client address', async () => {
    const attempt = (client: string) => t.http().post('/api/auth/login').set('x-forwarded-for', client).send({ email: uniqueEmail(), password: 'Autumn2026!' });
    for (let i = 0; i < 5; i++) await attempt('203.0.113.7').expect(401);
    await attempt('203.0.113.7').expect(429);
    await attempt('203.0.113.8').expect(401);
  });
});

describe('Cache-Control: no-store on answers that carry a token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is sent by signup, login, host creation, enrollment tokens, enroll and live tickets', async () => {
    const email = uniqueEmail();
    const signedUp = await t.http().post('/api/auth/signup').send({ email, password: PASSWORD, organization: 'Cache' }).expect(201);
    const token = signedUp.body.accessToken;
    const login = await t.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
    const host = await t.http().post('/api/hosts').auth(token, { type: 'bearer' }).send({ name: 'cached' }).expect(201);
    const fresh = await t.http().post(`/api/hosts/${host.body.host.id}/enrollment-token`).auth(token, { type: 'bearer' }).expect(201);
    const enrolled = await t.http().post('/api/agent/enroll').send({ enrollmentToken: fresh.body.enrollmentToken, hostname: 'c.local', agentVersion: '1.0.0' }).expect(201);
    const ticket = await t.http().post('/api/live/tickets').auth(token, { type: 'bearer' }).expect(201);
    for (const [name, res] of Object.entries({ signedUp, login, host, fresh, enrolled, ticket })) {
      expect({ name, cacheControl: res.headers['cache-control'] }).toEqual({ name, cacheControl: expect.stringContaining('no-store') });
    }
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const METRICS_TOKEN = 'scrape-secret-0123456789';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN });
  });
  afterAll(() => t.close());

  it('answers 401 without the token or with another one', async () => {
    for (const authorization of [undefined, `Bearer ${METRICS_TOKEN}x`, 'Bearer nope', `Basic ${METRICS_TOKEN}`]) {
      const req = t.http().get('/metrics');
      const res = await (authorization ? req.set('authorization', authorization) : req).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('serves the metrics with Authorization: Bearer <METRICS_TOKEN>', async () => {
    const res = await t.http().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.text).toMatch(/^# HELP process_cpu_user_seconds_total/m);
  });
});
