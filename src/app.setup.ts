import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { bearerToken } from './auth/token.service.js';
import { setupOpenApi } from './common/openapi.js';
import { AuthenticatingWsAdapter } from './common/authenticating-ws.adapter.js';
import { AgentAuthService } from './hosts/agent-auth.service.js';
import { MAX_PAYLOAD_BYTES } from './ingest/protocol.js';
import { liveUpgradeAuthenticator } from './live/live-upgrade.authenticator.js';

/** Everything main.ts and the e2e tests both need on top of the module graph. */
export function configureApp(app: INestApplication): INestApplication {
  app.setGlobalPrefix('api', { exclude: [{ path: 'metrics', method: RequestMethod.GET }] });
  (app as NestExpressApplication).useBodyParser('json', { limit: MAX_PAYLOAD_BYTES });
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
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
