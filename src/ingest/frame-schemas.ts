// The schema type of the generator itself (openapi3-ts), which Nest's swagger module accepts as is.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { KindDescription } from './telemetry-kind.js';

type SchemaObject = ReturnType<typeof validationMetadatasToSchemas>[string];

/** JSON Schema for DockPulse's own validators, by their class-validator name. */
const CUSTOM: Record<string, (meta: { constraints?: unknown[] }) => SchemaObject> = {
  isTimestamp: () => ({ oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', description: 'epoch milliseconds' }] }),
  isCount: () => ({ type: 'integer', minimum: 0 }),
  isCleanText: () => ({ type: 'string', description: 'no NUL characters or lone surrogates' }),
  isObjectItems: () => ({}),
  isLabels: () => ({ type: 'object', additionalProperties: { type: 'string' } }),
  isPorts: () => ({ type: 'array', items: { type: 'object', additionalProperties: true } }),
};

const frameSchemaName = (kind: KindDescription) => `${kind.dto.name.replace(/Dto$/, '')}`;

/**
 * The OpenAPI schemas of every described frame, generated from their DTOs' class-validator
 * rules: one per frame type (`{type, seq}` plus its fields) and the item schemas they refer to.
 */
export function frameSchemas(kinds: KindDescription[]): { schemas: Record<string, SchemaObject>; body: SchemaObject } {
  const generated = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: CUSTOM,
  }) as Record<string, SchemaObject>;
  const schemas: Record<string, SchemaObject> = {};
  const referenced = new Set<string>();
  const collect = (schema: unknown) => {
    JSON.stringify(schema, (key, value) => {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.slice('#/components/schemas/'.length);
        if (!referenced.has(name) && generated[name]) {
          referenced.add(name);
          collect(generated[name]);
        }
      }
      return value;
    });
  };
  for (const kind of kinds) {
    const own = generated[kind.dto.name] ?? { type: 'object' };
    collect(own);
    schemas[frameSchemaName(kind)] = {
      type: 'object',
      description: kind.summary,
      required: ['type', 'seq', ...((own.required as string[]) ?? [])],
      properties: {
        type: { type: 'string', enum: [kind.type] },
        seq: { type: 'integer', minimum: 1, description: 'Unique among the agent’s unacknowledged frames' },
        ...(own.properties ?? {}),
      },
    };
  }
  for (const name of referenced) schemas[name] = generated[name];
  const ref = (kind: KindDescription) => `#/components/schemas/${frameSchemaName(kind)}`;
  const body: SchemaObject = {
    oneOf: kinds.map((kind) => ({ $ref: ref(kind) })),
    discriminator: { propertyName: 'type', mapping: Object.fromEntries(kinds.map((kind) => [kind.type, ref(kind)])) },
  };
  return { schemas, body };
}

/** The OpenAPI document as Nest's swagger module builds it, reduced to what is patched here. */
interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: unknown } | undefined>>;
  components?: { schemas?: Record<string, unknown> };
}

/**
 * Documents the ingest body as a discriminated `oneOf` of every described frame. Done on the
 * finished document, not in a decorator: kinds are described as their modules load, after the
 * controller class is.
 */
export function documentFrames(document: OpenApiDocument, path: string, kinds: KindDescription[]): void {
  const operation = document.paths[path]?.post;
  if (!operation) return;
  const { schemas, body } = frameSchemas(kinds);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...schemas } };
  const description = (operation.requestBody as { description?: string } | undefined)?.description;
  operation.requestBody = { required: true, description, content: { 'application/json': { schema: body } } };
}
