import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth.decorators.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import type { UserPrincipal } from '../common/principal.js';
import { MetricsRangeQuery } from '../time-series/metrics-range.query.js';
import { ContainerMetricBucket, ContainerMetricHistorySample, ContainerMetricSample } from './dto/container-metric.view.js';
import { MetricsHistoryQuery } from './dto/metrics-history.query.js';
import { MetricsQueryService } from './metrics-query.service.js';

const arrayOf = (model: Function) => ({ type: 'array', items: { $ref: getSchemaPath(model) } });

@ApiTags('metrics')
@ApiBearerAuth()
@ApiExtraModels(ContainerMetricSample, ContainerMetricBucket)
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsQueryService) {}

  @Get('containers/:containerId/metrics')
  @ApiBadRequestResponse({ description: 'A bad query parameter; the message names it' })
  @ApiNotFoundResponse({ description: 'No such container in the caller’s organization' })
  @ApiOperation({
    summary: 'Metrics of one container',
    description: 'Without `bucket`: raw samples, newest first. With `bucket`: one row per non-empty bucket, newest first (see `bucket`).',
  })
  @ApiOkResponse({
    description: 'Raw samples, or buckets when `bucket` is given.',
    schema: { oneOf: [arrayOf(ContainerMetricSample), arrayOf(ContainerMetricBucket)] },
  })
  forContainer(
    @CurrentUser() user: UserPrincipal,
    @Param('containerId', new ParseIdPipe('Container')) containerId: string,
    @Query() query: MetricsRangeQuery,
  ) {
    return this.metrics.forContainer(user.organizationId, containerId, query);
  }

  @Get('metrics/containers/history')
  @ApiBadRequestResponse({ description: 'A bad query parameter; the message names it' })
  @ApiOperation({ summary: 'Recent raw samples of one container or of every container of the organization, newest first' })
  @ApiOkResponse({ type: ContainerMetricHistorySample, isArray: true })
  history(@CurrentUser() user: UserPrincipal, @Query() query: MetricsHistoryQuery) {
    return this.metrics.history(user.organizationId, query);
  }
}
