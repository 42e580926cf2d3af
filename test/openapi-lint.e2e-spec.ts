import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintOpenApi } from './support/openapi-lint.js';
import { startTestApp, tempDir, type TestApp } from './support/test-app.js';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** A response that needs a body: everything but 204 No Content and redirects. */
const hasBody = (status: string) => status !== '204' && !/^3\d\d$/.test(status);

describe('OpenAPI document under a strict linter', () => {
  let t: TestApp;
  let document: { paths: Record<string, Record<string, Operation>> };
  let file: string;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/docs-json').expect(200)).body;
    file = join(tempDir('openapi-'), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
  });
  afterAll(() => t.close());

  it('passes `redocly lint` with the recommended rules without an error', async () => {
    const report = await lintOpenApi(file);
    if (process.env.OPENAPI_LINT_VERBOSE) console.log([...report.errors, ...report.warnings].join('\n'));
    expect(report.errors).toEqual([]);
  }, 120_000);

  it('gives every response of every operation a content schema, error responses included', () => {
    const missing: string[] = [];
    let described = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item).filter(([m]) => METHODS.includes(m))) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (!hasBody(status)) continue;
          const contents = Object.values(response.content ?? {});
          if (contents.length > 0 && contents.every((c) => c.schema)) described++;
          else missing.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(described).toBeGreaterThan(50);
  });

  it('says which operations are public, and gives every one that requires a token its 401', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, ...(operation as Operation & { security?: object[] }) })),
    );
    expect(operations.filter((o) => !o.security).map((o) => o.name)).toEqual([]);
    const tokenOnly = operations.filter((o) => o.security!.length > 0 && o.security!.every((requirement) => Object.keys(requirement).length > 0));
    expect(tokenOnly.filter((o) => !o.responses?.['401']).map((o) => o.name)).toEqual([]);
    expect(tokenOnly.map((o) => o.name)).toEqual(expect.arrayContaining(['GET /api/hosts', 'POST /api/agent/ingest']));
    const open = operations.filter((o) => o.security!.length === 0).map((o) => o.name);
    expect(open).toEqual(expect.arrayContaining(['POST /api/auth/login', 'POST /api/agent/enroll', 'GET /api/health']));
    expect(open).not.toContain('GET /api/hosts');
  });

  it('describes the error bodies the server really sends', async () => {
    const schema = (document as unknown as { components: { schemas: Record<string, { required: string[]; properties: Record<string, unknown> }> } }).components.schemas.ErrorResponse;
    const unauthorized = (await t.http().get('/api/hosts').expect(401)).body;
    const badRequest = (await t.http().post('/api/auth/login').send({}).expect(400)).body;
    for (const body of [unauthorized, badRequest]) {
      expect(Object.keys(body)).toEqual(expect.arrayContaining(schema.required));
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(Object.keys(body)));
    }
    expect(badRequest.message).toEqual(expect.any(Array));
  });
});
