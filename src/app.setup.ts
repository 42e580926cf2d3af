import type { INestApplication } from '@nestjs/common';
import { RequestMethod, ShutdownSignal } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import { configureHttpEdge } from './common/http-edge.js';
import { verifyJsonBody } from './common/json-depth.js';
import { setupOpenApi } from './common/openapi.js';
import { AuthenticatingWsAdapter } from './common/authenticating-ws.adapter.js';
import type { Environment } from './config/environment.js';
import { AgentAuthService } from './hosts/agent-auth.service.js';
import { documentFrames } from './ingest/frame-schemas.js';
import { MAX_PAYLOAD_BYTES } from './ingest/protocol.js';
import { describedKinds } from './ingest/telemetry-kind.js';
import { LiveGateway } from './live/live.gateway.js';
import { liveUpgradeAuthenticator } from './live/live-upgrade.authenticator.js';
import { HttpRequestMetrics } from './storage/http-request-metrics.js';
import { PrometheusRegistry } from './storage/prometheus.registry.js';
import { bearerToken } from './tokens/token.service.js';

/** The signals that drain first when SHUTDOWN_DRAIN is set. */
export const DRAINED_SIGNALS: readonly string[] = [ShutdownSignal.SIGTERM, ShutdownSignal.SIGINT];

/** Everything main.ts and the e2e tests both need on top of the module graph. */
export function configureApp(app: INestApplication): INestApplication {
  // First, so that the time measured covers everything else (helmet, CORS, body parsing).
  app.use(app.get(HttpRequestMetrics, { strict: false }).middleware);
  configureHttpEdge(app);
  app.setGlobalPrefix('api', { exclude: [{ path: 'metrics', method: RequestMethod.GET }] });
  // Nest reserves `verify` for `rawBody: true`, which DockPulse does not use.
  const json = { limit: MAX_PAYLOAD_BYTES, verify: verifyJsonBody } as NestExpressBodyParserOptionsFor<'json'>;
  (app as NestExpressApplication).useBodyParser('json', json);
  app.useWebSocketAdapter(
    new AuthenticatingWsAdapter(app, {
      '/agent': async (request) => {
        const token = bearerToken(request.headers.authorization);
        if (!token) throw new Error('Missing bearer token');
        return app.get(AgentAuthService, { strict: false }).authenticate(token);
      },
      '/live': liveUpgradeAuthenticator(app),
    }),
  );
  const live = app.get(LiveGateway, { strict: false });
  app.get(PrometheusRegistry, { strict: false }).socketCount('live', () => live.connectionCount());
  setupOpenApi(app, (document) => documentFrames(document as never, '/api/agent/ingest', describedKinds()));
  // With SHUTDOWN_DRAIN, main.ts handles SIGTERM and SIGINT itself: readiness goes down, serving
  // goes on for the drain, and only then does the close begin.
  const draining = app.get(ConfigService<Environment, true>, { strict: false }).get('SHUTDOWN_DRAIN', { infer: true });
  app.enableShutdownHooks(draining ? Object.values(ShutdownSignal).filter((signal) => !DRAINED_SIGNALS.includes(signal)) : undefined);
  return app;
}
