import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { IncomingMessage, Server } from 'node:http';
import type { Environment } from '../config/environment.js';
import { splitList } from '../config/is-origin-list.decorator.js';
import { trustProxySetting } from '../config/is-trust-proxy.decorator.js';

/**
 * What every HTTP answer and connection gets before any route: security headers, the CORS
 * policy, no caching of API answers (they carry tokens and tenant data), who the client is
 * behind proxies, and how long a client may take to send a request.
 */
export function configureHttpEdge(app: INestApplication): void {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', trustProxySetting(config.get('TRUST_PROXY', { infer: true })));
  express.use(
    helmet({
      // Swagger UI at /docs loads only same-origin scripts and uses inline styles, which helmet's
      // defaults allow. Browsers reach DockPulse over plain HTTP on a LAN as often as behind TLS:
      // never make them upgrade subresources to https.
      // The dashboard's live updates come over a WebSocket to this same host, which not every browser
      // counts as 'self'.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, connectSrc: ["'self'", ...sameHostSockets] } },
    }),
  );
  const origins = config.get('CORS_ORIGINS', { infer: true });
  if (origins) {
    const list = splitList(origins);
    express.enableCors({ origin: list.includes('*') ? '*' : list, maxAge: 600, exposedHeaders: ['Retry-After'] });
  }
  express.use('/api', (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  setServerTimeouts(app.getHttpServer(), config);
}

const sameHostSockets = ['ws:', 'wss:'].map((scheme) => (request: IncomingMessage) => `${scheme}//${safeHost(request.headers.host)}`);

/** The Host header as a CSP source: anything odd becomes a source that matches nothing. */
function safeHost(host: string | undefined): string {
  return host && /^[\w.:[\]-]+$/.test(host) ? host : 'invalid.invalid';
}

/** Slow clients (slowloris, dribbled bodies) are answered 408 and closed within seconds. */
function setServerTimeouts(server: Server, config: ConfigService<Environment, true>): void {
  const ms = (key: 'HTTP_HEADERS_TIMEOUT' | 'HTTP_REQUEST_TIMEOUT' | 'HTTP_KEEP_ALIVE_TIMEOUT') => config.getOrThrow('ms', { infer: true })[key];
  server.headersTimeout = ms('HTTP_HEADERS_TIMEOUT');
  server.requestTimeout = ms('HTTP_REQUEST_TIMEOUT');
  server.keepAliveTimeout = ms('HTTP_KEEP_ALIVE_TIMEOUT');
  // Node checks those two timeouts only this often (30 s by default); it reads the value when listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(100, Math.min(1_000, server.headersTimeout / 4));
}
