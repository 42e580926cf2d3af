import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { describeErrors } from './openapi-errors.js';

/** Security scheme of agent-only routes (`@ApiBearerAuth(AGENT_SECURITY)`); user routes use the default `bearer`. */
export const AGENT_SECURITY = 'agent';
/** Optional security of GET /metrics: open, or METRICS_TOKEN when it is set. */
export const METRICS_SECURITY = 'metrics';

/**
 * The OpenAPI description of every REST endpoint, served at /docs (JSON at /docs-json).
 * No document-wide security requirement: each protected controller or handler names its scheme
 * with @ApiBearerAuth(), and public routes (signup, login, enroll, health) say `security: []`.
 * `npm run lint:openapi` holds it to redocly's recommended rules (redocly.yaml).
 */
export function setupOpenApi(app: INestApplication, complete: (document: OpenAPIObject) => void = () => undefined): void {
  const config = new DocumentBuilder()
    .setTitle('DockPulse API')
    .setDescription('Container observability: hosts, containers, metrics, logs, processes, storage and actions. See CONTRACT.md.')
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the API is wherever this document was served from.
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'User access token from POST /api/auth/login or /api/auth/signup' })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Agent token from POST /api/agent/enroll; user tokens are refused on agent routes' },
      AGENT_SECURITY,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, required on GET /metrics only when it is set' }, METRICS_SECURITY)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  describeErrors(document);
  complete(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
