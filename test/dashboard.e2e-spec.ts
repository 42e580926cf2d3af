import { existsSync } from 'node:fs';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { WebModule } from '../src/web/web.module.js';
import type { Browser, Page } from 'playwright-core';
import { AgentClient } from './support/agent-client.js';
import { CHROMIUM, launchChromium, screenshot, seriousAxeViolations } from './support/browser.js';
import { ensureDashboardBuilt } from './support/dashboard-build.js';
import { PASSWORD, uniqueEmail } from './support/factories.js';
import { startIsolatedTestApp } from './support/isolated-app.js';
import { hostMetric } from './support/telemetry.js';
import { startTestApp, tempDir, type TestApp } from './support/test-app.js';

describe('dashboard serving', () => {
  let t: TestApp;
  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startTestApp();
  }, 120_000);
  afterAll(() => t.close());

  it.each(['/', '/hosts/x', '/alerts', '/login?next=%2Fsettings'])('answers %s with the dashboard, never cached', async (path) => {
    const res = await t.http().get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toMatch(/<div id="root">/);
  });

  it('serves hashed assets for a year, and a missing one as 404', async () => {
    const index = await t.http().get('/').expect(200);
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1];
    const res = await t.http().get(script).expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await t.http().get('/assets/nope-123.js').expect(404);
  });

  it('lets the dashboard run under its CSP: own scripts, same-host sockets', async () => {
    const res = await t.http().get('/').set('Host', 'dash.example:8080').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/connect-src 'self' ws:\/\/dash\.example:8080 wss:\/\/dash\.example:8080/);
    expect(csp).toMatch(/img-src 'self' data:/);
  });

  it('leaves the server paths alone', async () => {
    const unknown = await t.http().get('/api/unknown').expect(404);
    expect(unknown.headers['content-type']).toMatch(/json/);
    expect(unknown.body).toMatchObject({ statusCode: 404 });
    expect((await t.http().get('/metrics').expect(200)).text).toMatch(/# HELP/);
    expect((await t.http().get('/docs').expect(200)).text).toMatch(/swagger/i);
    expect((await t.http().get('/docs-json').expect(200)).body).toMatchObject({ openapi: expect.any(String) });
  });
});

describe('dashboard not built', () => {
  it('answers 503 with how to build it, and leaves /api to the API', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [WebModule.forRoot(tempDir('no-web-'))] }).compile();
    const app = await moduleRef.createNestApplication({ logger: false }).init();
    try {
      const res = await request(app.getHttpServer()).get('/hosts/x').expect(503);
      expect(res.text).toMatch(/npm run build/);
      await request(app.getHttpServer()).get('/api/anything').expect(404);
    } finally {
      await app.close();
    }
  });
});

// CI's .ci/run installs Debian's Chromium; a machine without it skips, as test/http-headers does.
(existsSync(CHROMIUM) ? describe : describe.skip)('dashboard in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    // A fresh install: first-run signup, no organization yet.
    t = await startIsolatedTestApp({ SIGNUP_ENABLED: 'first-run' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sets up the organization, adds a host and sees it come online without a reload', async () => {
    await page.goto(`${t.baseUrl}/hosts/x`);
    // No session on a fresh install: login sends the person on to setup.
    await page.getByRole('heading', { name: 'Create your organization' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'setup');

    await page.getByLabel('Organization name').fill('Browser Org');
    await page.getByLabel('Your email').fill(uniqueEmail('owner'));
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create organization' }).click();
    // The browser's own validation stops a too-short password; the API's message for a weak one shows as an alert.
    await page.getByLabel('Password').fill('alllowercaseletters');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/password/i);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create organization' }).click();

    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByText('No hosts yet.').waitFor();
    await page.getByRole('button', { name: 'Add host' }).click();
    await page.getByLabel('Host name').fill('web-01');
    await page.getByRole('button', { name: 'Create host' }).click();
    const token = (await page.getByTestId('enrollment-token').textContent())!.trim();
    expect(await page.getByTestId('agent-command').textContent()).toBe(`npx dockpulse-agent --server ${t.baseUrl} --enrollment-token ${token}`);
    await page.getByText('Waiting for web-01 to come online…').waitFor();
    const row = page.getByRole('row', { name: /web-01/ });
    await expect(row.getByText('offline').textContent()).resolves.toBe('offline');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const enrolled = await t.http().post('/api/agent/enroll').send({ enrollmentToken: token, hostname: 'web-01.local', agentVersion: '1.0.0' }).expect(201);
    const agent = await AgentClient.connect(t.baseUrl, enrolled.body.agentToken);
    try {
      await page.getByText('web-01 is online.').waitFor();
      await row.getByText('online', { exact: true }).waitFor();
      await row.getByText('1.0.0').waitFor();
      const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
      const samples = [12, 9, 6, 3, 1].map((n, i) => hostMetric(minutesAgo(n), { cpuPercent: 10 + 15 * i }));
      expect(await agent.send({ type: 'host_metrics', data: samples })).toMatchObject({ type: 'ack' });
      await page.reload();
      await page.getByRole('img', { name: /^CPU over the last hour, now 70 %/ }).waitFor();
      await screenshot(page, 'fleet');
      await page.setViewportSize({ width: 390, height: 800 });
      await screenshot(page, 'fleet-390');
      await page.setViewportSize({ width: 1280, height: 800 });
    } finally {
      agent.socket.close();
    }
  });

  it('shades the host’s gaps on its charts and says why', async () => {
    const [{ id }] = await t.sql.query<{ id: string }>(`SELECT id FROM hosts WHERE name = 'web-01'`);
    // The host existed before its agent connected: the half hour before is a gap with a reason (docs/gaps.md).
    await t.sql.query(`UPDATE hosts SET created_at = now() - interval '30 minutes' WHERE id = $1::uuid`, [id]);
    await page.goto(`${t.baseUrl}/hosts/${id}`);
    const legend = page.getByRole('list', { name: 'Gaps' }).first();
    await legend.getByText(/^Agent offline: /).first().waitFor();
    expect(await legend.locator('li[data-reason="agent_offline"]').count()).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'host-gaps');
  });

  it('signs in again after the session ends, back where the person was', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${t.baseUrl}/login?next=%2Falerts&expired=1`);
    await page.getByText('Your session expired, sign in again.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'login');
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Invalid email or password/);
    expect(consoleErrors.filter((text) => !/401|Failed to load resource/.test(text))).toEqual([]);
  });
});
