import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram } from 'prom-client';

/**
 * REST answers take a few milliseconds; exports, searches and range queries over long windows may
 * take seconds: 5 ms to 10 s.
 */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * How long HTTP requests take, by method, route template and status. The route is the template Express
 * matched (`/api/hosts/:hostId`), never the URL: ids in labels would grow one series per host. A request
 * no route matched is `unmatched`, and so is one only a catch-all took (a template with `*`: the API's JSON
 * 404 `/api*path`, the dashboard's pages and files), which says nothing about where the time went. /metrics is measured too: one
 * series more, and a scrape that slows down says the database behind its gauges does.
 */
@Injectable()
export class HttpRequestMetrics {
  /** Registered by this application's Prometheus registry only (`registers: []`), never the global one. */
  readonly seconds = new Histogram({
    name: 'dockpulse_http_request_duration_seconds',
    help: 'Seconds from an HTTP request arriving to its answer being sent, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [],
  });

  /** Express middleware, installed before any route so that it sees every request. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    response.once('finish', () => {
      // Set by the router on the request it dispatched to a route; `baseUrl` is a mounting router's prefix.
      const path = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' && !path.includes('*') ? `${request.baseUrl}${path}` : 'unmatched';
      this.seconds.observe({ method: request.method, route, status_code: String(response.statusCode) }, (performance.now() - started) / 1000);
    });
    next();
  };
}
