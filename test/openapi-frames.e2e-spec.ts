import { FrameRegistry } from '../src/ingest/frame-registry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Schema = { $ref?: string; oneOf?: Schema[]; properties?: Record<string, Schema>; items?: Schema; required?: string[]; enum?: string[]; discriminator?: { propertyName: string; mapping: Record<string, string> } };

describe('OpenAPI: the ingest body is generated from the described kinds', () => {
  let t: TestApp;
  let document: { paths: Record<string, any>; components: { schemas: Record<string, Schema> } };

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  const resolve = (ref: string) => document.components.schemas[ref.replace('#/components/schemas/', '')];

  it('is a oneOf with one schema per registered frame type, discriminated by `type`', () => {
    const body: Schema = document.paths['/api/agent/ingest'].post.requestBody.content['application/json'].schema;
    const types = t.app.get(FrameRegistry).types().sort();
    expect(types).toEqual(expect.arrayContaining(['command_result', 'containers', 'hello', 'host_metrics', 'logs', 'metrics', 'processes']));
    expect(body.discriminator!.propertyName).toBe('type');
    expect(Object.keys(body.discriminator!.mapping).sort()).toEqual(types);
    expect(body.oneOf).toHaveLength(types.length);
    for (const [type, ref] of Object.entries(body.discriminator!.mapping)) {
      const frame = resolve(ref);
      expect(frame.properties!.type.enum).toEqual([type]);
      expect(frame.required).toEqual(expect.arrayContaining(['type', 'seq']));
    }
  });

  it('describes every field of a frame down to its items, and every reference resolves', () => {
    const metrics = resolve(document.paths['/api/agent/ingest'].post.requestBody.content['application/json'].schema.discriminator.mapping.metrics);
    const item = resolve(metrics.properties!.data.items!.$ref!);
    expect(Object.keys(item.properties!)).toEqual(
      expect.arrayContaining(['containerId', 'ts', 'cpuPercent', 'memoryUsed', 'memoryLimit', 'networkRx', 'networkTx', 'blockRead', 'blockWrite', 'pids']),
    );
    expect(item.required).toEqual(expect.arrayContaining(['containerId', 'ts', 'cpuPercent']));
    const refs = JSON.stringify(document).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) expect(resolve(JSON.parse(ref))).toBeDefined();
  });
});
