import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { AgentClient } from './support/agent-client.js';
import { CHROMIUM, launchChromium, screenshot, seriousAxeViolations } from './support/browser.js';
import { ensureDashboardBuilt } from './support/dashboard-build.js';
import { drawnChart, PHONE, DESKTOP, signedInPage, watchLiveSubscriptions } from './support/dashboard-session.js';
import { addUser, enrolledHost, signup, type Tenant } from './support/factories.js';
import { startIsolatedTestApp } from './support/isolated-app.js';
import { container, dockerId, hostMetric, logLine, metric } from './support/telemetry.js';
import type { TestApp } from './support/test-app.js';

const ack = expect.objectContaining({ type: 'ack' });
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// CI's .ci/run installs Debian's Chromium; a machine without it skips, as test/dashboard does.
(existsSync(CHROMIUM) ? describe : describe.skip)('host and container pages in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let owner: Tenant;
  let hostId: string;
  let agent: AgentClient;
  const docker = dockerId();
  let containerId: string;
  let page: Page;
  let subscriptions: ReturnType<typeof watchLiveSubscriptions>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    // Signup stays open so that a second organization can exist.
    t = await startIsolatedTestApp({ SIGNUP_ENABLED: 'true', BUFFER_FLUSH_MS: '50' });
    browser = await launchChromium();

    owner = await signup(t, 'Container Org');
    const host = await enrolledHost(t, owner, 'web-01');
    hostId = host.hostId;
    agent = await AgentClient.connect(t.baseUrl, host.agentToken);
    expect(await agent.send({ type: 'containers', data: [container(docker, { name: '/shop-api' })] })).toEqual(ack);
    const listed = await t.http().get(`/api/hosts/${hostId}/containers`).auth(owner.token, { type: 'bearer' }).expect(200);
    containerId = listed.body.find((c: { dockerId: string }) => c.dockerId === docker).id;

    const minutes = [10, 8, 6, 4, 2, 1];
    const hostSamples = minutes.map((n, i) => hostMetric(minutesAgo(n), { cpuPercent: 20 + 10 * i, networkRx: 100_000 * (i + 1), networkTx: 50_000 * (i + 1) }));
    expect(await agent.send({ type: 'host_metrics', data: hostSamples })).toEqual(ack);
    const samples = minutes.map((n, i) => metric(docker, minutesAgo(n), { cpuPercent: 5 + 7 * i, networkRx: 10_000 * (i + 1), blockRead: 2_000 * (i + 1) }));
    expect(await agent.send({ type: 'metrics', data: samples })).toEqual(ack);
    const lines = [
      logLine(docker, minutesAgo(5), 'listening on :8080'),
      logLine(docker, minutesAgo(3), 'order 1041 paid'),
      logLine(docker, minutesAgo(2), 'payment gateway timeout after 30s', 'stderr'),
      logLine(docker, minutesAgo(1), 'order 1042 paid'),
    ];
    expect(await agent.send({ type: 'logs', data: lines })).toEqual(ack);

    page = await signedInPage(browser, t.baseUrl, owner.token);
    subscriptions = watchLiveSubscriptions(page);
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  }, 120_000);
  afterAll(async () => {
    await agent?.close();
    await browser?.close();
    await t?.close();
  });

  it('host page: status, a drawn chart and the container in the table', async () => {
    await page.goto(`${t.baseUrl}/hosts/${hostId}`);
    await page.getByRole('heading', { name: 'web-01', level: 1 }).waitFor();
    expect(await page.getByTestId('host-status').textContent()).toBe('online');
    const table = page.getByRole('table', { name: 'Containers' });
    const link = table.getByRole('link', { name: /shop-api/ });
    expect(await link.getAttribute('href')).toBe(`/containers/${containerId}`);
    for (const title of ['CPU', 'Memory', 'Load']) await drawnChart(page, title).waitFor();
    expect(Number(await drawnChart(page, 'CPU').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'host');

    await link.click();
    await page.waitForURL(`${t.baseUrl}/containers/${containerId}`);
  });

  it('container page: chart, log search, and a new line arriving live', async () => {
    await page.getByRole('heading', { name: /shop-api/, level: 1 }).waitFor();
    expect(await page.getByTestId('container-state').textContent()).toBe('running');
    await drawnChart(page, 'CPU').waitFor();
    expect(Number(await drawnChart(page, 'CPU').getAttribute('data-points'))).toBe(6);

    const log = page.getByRole('log', { name: 'Log lines' });
    await log.getByText('order 1042 paid').waitFor();
    expect(await log.getAttribute('data-lines')).toBe('4');

    await page.getByLabel('Search logs').fill('GATEWAY');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[role=log][data-lines="1"]').waitFor();
    expect(await log.textContent()).toMatch(/payment gateway timeout after 30s/);
    await page.getByText('Not live while searching.').waitFor();

    const logsTopic = `container:${containerId}:logs`;
    const confirmedBefore = subscriptions.count(logsTopic);
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.locator('[role=log][data-lines="4"]').waitFor();
    await page.getByText('Live: new lines appear as they are written.').waitFor();
    expect(await page.getByLabel('Search logs').inputValue()).toBe('');
    // Tailing again once the socket confirms the topic: a line sent before that would be missed.
    await subscriptions.waitFor(logsTopic, confirmedBefore + 1);

    expect(await agent.send({ type: 'logs', data: [logLine(docker, new Date().toISOString(), 'order 1043 paid')] })).toEqual(ack);
    await log.getByText('order 1043 paid').waitFor();
    expect(await log.getAttribute('data-lines')).toBe('5');

    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'container');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'container-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('stop: confirmed, sent to the agent, and the page shows the result and the new state', async () => {
    const actions = page.getByRole('group', { name: 'Container actions' });
    await actions.getByRole('button', { name: 'Stop', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: /^Stop .*shop-api\?$/ }).waitFor();
    await dialog.getByRole('button', { name: 'Yes, stop' }).click();

    const command = await waitFor('the stop command', () => agent.frames.find((f) => f.type === 'command'));
    expect(command).toMatchObject({ action: 'stop', containerId: docker });
    await page.getByTestId('action-status').getByText(/^Stop: (sent to|waiting for) the agent…$/).waitFor();
    expect(await actions.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);

    // Docker's stop and die events make the agent send a new inventory while the stop runs, so the
    // snapshot may come before the result. (The other order is the "start" case below.)
    const stopped = container(docker, { name: '/shop-api', state: 'exited', status: 'Exited (0) 1 second ago', exitCode: 0, finishedAt: new Date().toISOString() });
    expect(await agent.send({ type: 'containers', data: [stopped] })).toEqual(ack);
    expect(await agent.send({ type: 'command_result', commandId: command.commandId, status: 'succeeded', message: 'stopped' })).toEqual(ack);

    await page.getByTestId('action-status').getByText('Stop succeeded: stopped').waitFor();
    await page.locator('[data-testid=container-state]', { hasText: 'exited' }).waitFor();
    expect(await actions.getByRole('button', { name: 'Start', exact: true }).isEnabled()).toBe(true);
    expect(consoleErrors.filter((text) => !/Failed to load resource/.test(text))).toEqual([]);
  });

  it('start: the result first, then the inventory once the page has re-read the container', async () => {
    await page.getByRole('group', { name: 'Container actions' }).getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, start' }).click();
    const command = await waitFor('the start command', () => agent.frames.find((f) => f.type === 'command' && f.action === 'start'));
    const reread = page.waitForResponse((res) => res.request().method() === 'GET' && new URL(res.url()).pathname === `/api/containers/${containerId}`);
    expect(await agent.send({ type: 'command_result', commandId: command.commandId, status: 'succeeded', message: 'started' })).toEqual(ack);
    await page.getByTestId('action-status').getByText('Start succeeded: started').waitFor();
    await reread;
    expect(await page.getByTestId('container-state').textContent()).toBe('exited');
    expect(await agent.send({ type: 'containers', data: [container(docker, { name: '/shop-api', startedAt: new Date().toISOString() })] })).toEqual(ack);
  });

  // The page follows the host's inventory: a state the agent reports after the result shows without a reload.
  it('shows the state the agent reports after the result without a reload', async () => {
    await page.locator('[data-testid=container-state]', { hasText: 'running' }).waitFor({ timeout: 3_000 });
  });

  it('a viewer sees the container without any action', async () => {
    const viewer = await signedInPage(browser, t.baseUrl, await addUser(t, owner, 'viewer'));
    try {
      await viewer.goto(`${t.baseUrl}/containers/${containerId}`);
      await viewer.getByRole('heading', { name: /shop-api/, level: 1 }).waitFor();
      await viewer.getByRole('log', { name: 'Log lines' }).getByText('order 1043 paid').waitFor();
      expect(await viewer.getByRole('group', { name: 'Container actions' }).count()).toBe(0);
      for (const name of ['Start', 'Stop', 'Restart']) expect(await viewer.getByRole('button', { name, exact: true }).count()).toBe(0);
    } finally {
      await viewer.context().close();
    }
  });

  it("another organization's person gets Not found for the container and its host", async () => {
    const other = await signup(t, 'Other Org');
    const stranger = await signedInPage(browser, t.baseUrl, other.token);
    try {
      await stranger.goto(`${t.baseUrl}/containers/${containerId}`);
      await stranger.getByRole('heading', { name: 'Not found' }).waitFor();
      expect(await stranger.getByText('shop-api').count()).toBe(0);
      await stranger.goto(`${t.baseUrl}/hosts/${hostId}`);
      await stranger.getByRole('heading', { name: 'Not found' }).waitFor();
    } finally {
      await stranger.context().close();
    }
  });
});
