import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth.decorators.js';
import { PrometheusRegistry } from './prometheus.registry.js';

/** Served at /metrics, outside the /api prefix (see app.setup.ts), for Prometheus to scrape. */
@ApiTags('operations')
@Controller()
export class PrometheusController {
  constructor(private readonly prometheus: PrometheusRegistry) {}

  /** Public like /api/health: scrapers carry no user token; nothing tenant-specific is exposed. */
  @Get('metrics')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics: buffers, ingest, connected agents, retention, process' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  async metrics(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.prometheus.contentType);
    return this.prometheus.metrics();
  }
}
