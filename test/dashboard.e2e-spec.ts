import { Test } from '@nestjs/testing';
import request from 'supertest';
import { WebModule } from '../src/web/web.module.js';
import { ensureDashboardBuilt } from './support/dashboard-build.js';
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
