import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startTestApp, type TestApp } from './support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';

/** Loads `url` in headless Chromium: the DOM after scripts ran, and what the console said. */
function renderInChromium(url: string): Promise<{ dom: string; console: string }> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--enable-logging=stderr', '--v=0', '--virtual-time-budget=5000', '--dump-dom', url];
  return new Promise((resolve, reject) =>
    execFile(CHROMIUM, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(error) : resolve({ dom: stdout, console: stderr.split('\n').filter((line) => line.includes(':CONSOLE')).join('\n') }),
    ),
  );
}

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('sends helmet headers and no X-Powered-By', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'strict-transport-security': expect.stringMatching(/max-age=\d+/),
    });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
  });

  it('serves /docs as HTML whose scripts and styles its CSP allows', async () => {
    const page = await t.http().get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = page.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    // Every script is a same-origin file (no inline code a `script-src 'self'` would block), and loads.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes)![1];
      expect(src).not.toMatch(/^(https?:)?\/\//);
      const script = await t.http().get(new URL(src, `${t.baseUrl}/docs`).pathname).expect(200);
      expect(script.headers['content-type']).toMatch(/javascript/);
    }
  });

  (existsSync(CHROMIUM) ? it : it.skip)('renders /docs in a real browser with no CSP violation', async () => {
    const { dom, console } = await renderInChromium(`${t.baseUrl}/docs`);
    expect(console).not.toMatch(/Content Security Policy/);
    // Swagger UI built the page from the OpenAPI document: its scripts ran.
    expect(dom).toMatch(/<h1 class="title">DockPulse API/);
    expect(dom).toContain('id="operations-auth-AuthController_signup"');
  });
});

describe('CORS', () => {
  it('sends no CORS headers when CORS_ORIGINS is unset (same origin only)', async () => {
    const t = await startTestApp();
    try {
      const res = await t.http().get('/api/health').set('origin', 'https://dash.example.com').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await t.http().options('/api/hosts').set('origin', 'https://dash.example.com').set('access-control-request-method', 'GET');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('allows exactly the origins of CORS_ORIGINS', async () => {
    const t = await startTestApp({ CORS_ORIGINS: 'https://dash.example.com, http://localhost:5173' });
    try {
      const allowed = await t.http().get('/api/health').set('origin', 'http://localhost:5173').expect(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(allowed.headers.vary).toMatch(/Origin/);
      const preflight = await t
        .http()
        .options('/api/hosts')
        .set('origin', 'https://dash.example.com')
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization, content-type')
        .expect(204);
      expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://dash.example.com', 'access-control-allow-methods': expect.stringContaining('POST') });
      const refused = await t.http().get('/api/health').set('origin', 'https://evil.example.net').expect(200);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it.each(['dash.example.com', 'https://dash.example.com/', 'https://dash.example.com/app', 'ftp://x.example'])('refuses CORS_ORIGINS=%s at start-up', async (origins) => {
    await expect(startTestApp({ CORS_ORIGINS: origins })).rejects.toThrow(/CORS_ORIGINS must be a comma-separated list of origins/);
  });
});
