import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SERVER_PATHS } from './server-paths.js';

export const DASHBOARD_ROOT = Symbol('DASHBOARD_ROOT');

const YEAR_SECONDS = 365 * 24 * 3600;

function setCacheHeaders(response: Response, path: string): void {
  // Vite names every asset after its content hash, so a URL under /assets never changes meaning.
  const hashed = basename(dirname(path)) === 'assets';
  response.setHeader('Cache-Control', hashed ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache');
}

/**
 * Registered at module init rather than through @nestjs/serve-static: that module picks its loader
 * when its providers are built, before a testing module has an HTTP adapter, and then serves nothing.
 * Init runs after the controllers' routes are mounted and before Nest's 404 handler.
 */
@Injectable()
export class DashboardRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(DASHBOARD_ROOT) private readonly root: string,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<Application>();
    const index = join(this.root, 'index.html');
    const dashboardOnly = (handler: express.RequestHandler) => (request: Request, response: Response, next: NextFunction) =>
      SERVER_PATHS.test(request.path) ? next() : handler(request, response, next);
    if (!existsSync(index)) {
      app.get('{*any}', dashboardOnly((_request, response) => this.answerNotBuilt(response)));
      return;
    }
    app.use('/assets', express.static(join(this.root, 'assets'), { index: false, cacheControl: false, fallthrough: false, setHeaders: setCacheHeaders }));
    app.use(dashboardOnly(express.static(this.root, { index: false, cacheControl: false, setHeaders: setCacheHeaders })));
    app.get('{*any}', dashboardOnly((_request, response, next) => {
      setCacheHeaders(response, index);
      response.sendFile(index, (error) => error && next(error));
    }));
  }

  private answerNotBuilt(response: Response): void {
    response.status(503).type('text/plain').setHeader('Cache-Control', 'no-store');
    response.send('The DockPulse dashboard is not built: run `npm run build` (or `npm run build:web`), then restart the server.\n');
  }
}
