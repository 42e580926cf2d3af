import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { MetricsRangeQuery } from '../time-series/metrics-range.query.js';
import { HostMetricBucket, HostMetricSample } from './dto/host-metric.view.js';
import { HostMetricsQueryService } from './host-metrics-query.service.js';

@ApiTags('metrics')
@ApiBearerAuth()
@ApiExtraModels(HostMetricSample, HostMetricBucket)
@Controller()
export class HostMetricsController {
  constructor(private readonly metrics: HostMetricsQueryService) {}

  @Get('hosts/:hostId/metrics')
  @ApiBadRequestResponse({ description: 'A bad query parameter; the message names it' })
  @ApiNotFoundResponse({ description: 'No such host in the caller’s organization' })
  @ApiOperation({
    summary: 'Metrics of one host',
    description: 'Without `bucket`: raw samples, newest first. With `bucket`: one row per non-empty bucket, newest first (see `bucket`).',
  })
  @ApiOkResponse({
    description: 'Raw samples, or buckets when `bucket` is given.',
    schema: { oneOf: [HostMetricSample, HostMetricBucket].map((model) => ({ type: 'array', items: { $ref: getSchemaPath(model) } })) },
  })
  forHost(@CurrentUser() user: UserPrincipal, @Param('hostId', new ParseIdPipe('Host')) hostId: string, @Query() query: MetricsRangeQuery) {
    return this.metrics.forHost(user.organizationId, hostId, query);
  }
}
