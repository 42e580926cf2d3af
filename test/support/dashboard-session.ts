import type { Browser, Locator, Page } from 'playwright-core';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 800 };

/** A page in its own browser context, signed in as the token's person (the dashboard keeps its session in localStorage). */
export async function signedInPage(browser: Browser, baseUrl: string, token: string, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    storageState: { cookies: [], origins: [{ origin: baseUrl, localStorage: [{ name: 'dockpulse.accessToken', value: token }] }] },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** The chart named `<title> chart` once it draws at least one point. */
export function drawnChart(page: Page, title: string): Locator {
  return page.getByRole('figure', { name: `${title} chart`, exact: true }).and(page.locator('[data-points]:not([data-points="0"])'));
}

/**
 * The topics the page's `/live` socket had confirmed, in order. A test waits for a confirmation
 * before the agent sends what should arrive live: a frame published before it would be missed.
 */
export function watchLiveSubscriptions(page: Page) {
  const confirmed: string[] = [];
  const waiters: (() => void)[] = [];
  page.on('websocket', (socket) => {
    if (!new URL(socket.url()).pathname.startsWith('/live')) return;
    socket.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; topics?: string[] };
      if (frame.type !== 'subscribed') return;
      confirmed.push(...(frame.topics ?? []));
      for (const wake of waiters.splice(0)) wake();
    });
  });
  const count = (topic: string) => confirmed.filter((t) => t === topic).length;
  return {
    count,
    /** Resolves once `topic` has been confirmed `times` times in all. */
    async waitFor(topic: string, times = 1, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (count(topic) < times) {
        if (Date.now() > deadline) throw new Error(`/live never confirmed ${topic} (${count(topic)} of ${times} times)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          waiters.push(() => (clearTimeout(timer), resolve()));
        });
      }
    },
  };
}
