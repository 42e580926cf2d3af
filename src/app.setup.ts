import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';

/** Everything main.ts and the e2e tests both need on top of the module graph. */
export function configureApp(app: INestApplication): INestApplication {
  app.setGlobalPrefix('api', { exclude: [{ path: 'metrics', method: RequestMethod.GET }] });
  app.enableShutdownHooks();
  return app;
}
