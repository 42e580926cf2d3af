import { startTestApp, type TestApp } from './support/test-app.js';

/** Every REST endpoint of CONTRACT.md, as OpenAPI writes its path, with the query parameters it documents. */
const ENDPOINTS: Array<[method: string, path: string, query?: string[]]> = [
  ['post', '/api/auth/signup'],
  ['post', '/api/auth/login'],
  ['post', '/api/users'],
  ['post', '/api/hosts'],
  ['get', '/api/hosts'],
  ['get', '/api/hosts/{hostId}'],
  ['delete', '/api/hosts/{hostId}'],
  ['post', '/api/hosts/{hostId}/enrollment-token'],
  ['post', '/api/agent/enroll'],
  ['post', '/api/agent/containers'],
  ['post', '/api/agent/ingest'],
  ['get', '/api/hosts/{hostId}/containers', ['state']],
  ['get', '/api/containers/{containerId}'],
  ['get', '/api/containers/{containerId}/metrics', ['from', 'to', 'bucket', 'limit']],
  ['get', '/api/metrics/containers/history', ['hours', 'containerId', 'limit']],
  ['get', '/api/hosts/{hostId}/metrics', ['from', 'to', 'bucket', 'limit']],
  ['get', '/api/containers/{containerId}/logs', ['from', 'to', 'q', 'stream', 'limit', 'cursor']],
  ['get', '/api/hosts/{hostId}/processes', ['at', 'from', 'to', 'pid']],
  ['get', '/api/hosts/{hostId}/gaps', ['from', 'to', 'kind']],
  ['get', '/api/storage/health'],
  ['post', '/api/storage/retention/run'],
  ['post', '/api/containers/{containerId}/actions'],
  ['get', '/api/commands/{commandId}'],
  ['post', '/api/live/tickets'],
  ['get', '/api/health'],
  ['get', '/api/ready'],
];

describe('OpenAPI at /docs', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, { summary?: string; parameters?: Array<{ name: string; in: string }> }>>;

  beforeAll(async () => {
    t = await startTestApp();
    paths = (await t.http().get('/docs-json').expect(200)).body.paths;
  });
  afterAll(() => t.close());

  it('serves the interactive page without credentials', async () => {
    const page = await t.http().get('/docs').expect(200);
    expect(page.text).toContain('swagger');
  });

  it.each(ENDPOINTS)('describes %s %s with a summary and its query parameters', (method, path, query = []) => {
    const operation = paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.summary?.length).toBeGreaterThan(0);
    const documented = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(documented).toEqual(expect.arrayContaining(query));
  });

  it('gives every operation it lists a summary', () => {
    const missing = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => !operation.summary)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(missing).toEqual([]);
  });
});
