import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { METRICS_SECURITY } from '../common/openapi.js';
import type { Response } from 'express';
import { Public } from '../common/auth.decorators.js';
import { PrometheusTokenGuard } from './prometheus-token.guard.js';
import { PrometheusRegistry } from './prometheus.registry.js';

/** Served at /metrics, outside the /api prefix (see app.setup.ts), for Prometheus to scrape. */
@ApiTags('operations')
@Controller()
export class PrometheusController {
  constructor(private readonly prometheus: PrometheusRegistry) {}

  /** Scrapers carry no user token: open like /api/health, or behind METRICS_TOKEN when it is set. */
  @Get('metrics')
  @Public()
  @UseGuards(PrometheusTokenGuard)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics: buffers, ingest, connected agents, retention, process',
    description: 'Open unless METRICS_TOKEN is set; then `Authorization: Bearer <METRICS_TOKEN>` is required.',
  })
  // Either no credential or METRICS_TOKEN: `security: [{}, {metrics: []}]`.
  @ApiSecurity({})
  @ApiBearerAuth(METRICS_SECURITY)
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  async metrics(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.prometheus.contentType);
    return this.prometheus.metrics();
  }
}
