import { DynamicModule, Module } from '@nestjs/common';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_ROOT, DashboardRoutes } from './dashboard.routes.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The dashboard (web/dist) at `/`, with an SPA fallback so its routes can be bookmarked. */
@Module({})
export class WebModule {
  static forRoot(rootPath = WEB_DIST): DynamicModule {
    return { module: WebModule, providers: [{ provide: DASHBOARD_ROOT, useValue: rootPath }, DashboardRoutes] };
  }
}
