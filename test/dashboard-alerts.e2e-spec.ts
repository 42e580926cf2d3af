import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, screenshot, seriousAxeViolations, type AxeViolation } from './support/browser.js';
import { ensureDashboardBuilt } from './support/dashboard-build.js';
import { CRASH_RULE, crashingWorker, LAST_LOG_LINES, liveTopicSubscribed, type CrashingWorker } from './support/dashboard-alerts-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PAGES = ['alerts', 'alert', 'rules', 'channels', 'silences', 'settings'] as const;

// Like test/dashboard.e2e-spec.ts: a machine without Debian's Chromium skips.
(existsSync(CHROMIUM) ? describe : describe.skip)('dashboard alerts and settings in a browser', () => {
  let t: TestApp;
  let fixture: CrashingWorker;
  let browser: Browser;
  let page: Page;
  const axe: Partial<Record<(typeof PAGES)[number], AxeViolation[]>> = {};
  const consoleErrors: string[] = [];
  const failedRequests = new Set<string>();

  /** Audits and photographs the page as it is now, under `name`. */
  async function record(name: (typeof PAGES)[number]) {
    axe[name] = await seriousAxeViolations(page);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startTestApp({ BUFFER_FLUSH_MS: '50' });
    fixture = await crashingWorker(t);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Signed in before any page loads: the dashboard reads its session from localStorage.
    await context.addInitScript(`localStorage.setItem('dockpulse.accessToken', ${JSON.stringify(fixture.tenant.token)})`);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Failed requests are judged by URL (below); every other console error counts.
    page.on('console', (message) => message.type() === 'error' && !/^Failed to load resource/.test(message.text()) && consoleErrors.push(message.text()));
    page.on('response', (response) => response.status() >= 400 && failedRequests.add(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.agent.close();
    await t?.close();
  });

  it('shows a container dying in the alerts table without a reload', async () => {
    const subscribed = liveTopicSubscribed(page, 'alerts');
    await page.goto(`${t.baseUrl}/alerts`);
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByText('No alerts.').waitFor();
    await subscribed;

    await fixture.die(3);
    const row = page.getByRole('table', { name: 'Alerts' }).getByRole('row', { name: new RegExp(CRASH_RULE) });
    await row.waitFor();
    await expect(row.getByRole('cell').first().textContent()).resolves.toBe('firing');
    await expect(row.textContent()).resolves.toMatch(/critical.*worker-1/);
    await record('alerts');
  });

  it('opens the alert with the crash context: exit code and the last log lines', async () => {
    await page.getByRole('link', { name: CRASH_RULE }).click();
    await page.getByRole('heading', { name: `Alert: ${CRASH_RULE}` }).waitFor();
    await page.getByRole('heading', { name: 'Crash context' }).waitFor();
    await expect(page.getByLabel('Crash facts').innerText()).resolves.toMatch(/Exit code\s+3\s/);
    await expect(page.getByLabel('Alert details').innerText()).resolves.toMatch(/State\s+firing/);
    const logs = await page.getByLabel('Last log lines').innerText();
    expect(logs.split('\n').map((line) => line.replace(/^.* (OUT|ERR) /, ''))).toEqual(LAST_LOG_LINES);
    expect(logs).toMatch(/ERR FATAL: QUEUE_URL is not set$/);
    for (const heading of ['Metrics of the 5 minutes before', 'Top processes', 'Neighbours', 'Notifications']) await page.getByRole('heading', { name: heading }).waitFor();
    await page.getByRole('table', { name: 'Top processes' }).getByRole('row', { name: /101 node/ }).waitFor();
    await page.getByRole('table', { name: 'Neighbours' }).getByRole('link', { name: 'neighbour-1' }).waitFor();
    await record('alert');

    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'alert-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows the API’s message for a bad rule, then creates a valid one', async () => {
    await page.goto(`${t.baseUrl}/alerts/rules`);
    await page.getByRole('heading', { name: 'Alert rules', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Alert rules' }).getByRole('row', { name: new RegExp(CRASH_RULE) }).waitFor();
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Rule name').fill('CPU hot');
    await page.getByLabel('Severity').selectOption('warning');
    await page.getByLabel('Condition type').selectOption('container_metric');
    await page.getByLabel('Metric').selectOption('cpuPercent');
    await page.getByLabel('Operator').selectOption('>');
    await page.getByLabel('Threshold').fill('90');
    await page.getByLabel('For (duration)', { exact: true }).fill('5 parsecs');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/condition\.for must be a duration/);

    await page.getByLabel('For (duration)', { exact: true }).fill('5m');
    await page.getByRole('button', { name: 'Create rule' }).click();
    const created = page.getByRole('table', { name: 'Alert rules' }).getByRole('row', { name: /CPU hot/ });
    await created.waitFor();
    await expect(created.textContent()).resolves.toMatch(/warning/);
    await page.getByRole('button', { name: 'New rule' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await record('rules');
  });

  it.each([
    ['/alerts/channels', 'Notification channels', 'channels'],
    ['/alerts/silences', 'Silences', 'silences'],
  ] as const)('renders %s', async (path, heading, name) => {
    await page.goto(`${t.baseUrl}${path}`);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    await record(name);
  });

  it('renders the settings with their sections', async () => {
    await page.goto(`${t.baseUrl}/settings`);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    for (const heading of ['Users and roles', 'Storage health', 'Change your password']) await page.getByRole('heading', { name: heading }).waitFor();
    await page.getByRole('table', { name: 'Users and roles' }).getByRole('row', { name: fixture.tenant.email }).waitFor();
    // Storage health is for the instance's operators (the first organization): on a database other
    // tests share, this organization is not the first, and the page says so instead of failing.
    await page.getByRole('table', { name: 'Tables' }).or(page.getByText('Only instance operators can see storage health.')).first().waitFor();
    await record('settings');
  });

  it('has no serious or critical accessibility violations on any of them, and no console errors', () => {
    expect(axe).toEqual(Object.fromEntries(PAGES.map((name) => [name, []])));
    expect(consoleErrors).toEqual([]);
    // The bad rule's 400 was shown by the page; storage health may be refused (see the settings test); nothing else may fail.
    const expected = new Set(['400 POST /api/alert-rules', '403 GET /api/storage/health']);
    expect([...failedRequests].filter((request) => !expected.has(request))).toEqual([]);
    expect(failedRequests.has('400 POST /api/alert-rules')).toBe(true);
  });
});
