import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AccessRepository } from '../access/access.repository.js';
import { requireHost } from '../access/require-access.js';
import type { Environment } from '../config/environment.js';
import { RollupService } from '../rollups/rollup.service.js';
import { metricRetention, metricWindow, type RetentionMs } from '../time-series/metric-window.js';
import type { MetricsRangeQuery } from '../time-series/metrics-range.query.js';
import { toHostBucket, type HostMetricBucket } from './dto/host-metric.view.js';
import { HostMetricsQueryRepository, type HostSampleRow } from './host-metrics-query.repository.js';

/** Host metrics as the API reads them, by the same rules as container metrics. */
@Injectable()
export class HostMetricsQueryService {
  private readonly retention: RetentionMs;

  constructor(
    private readonly repository: HostMetricsQueryRepository,
    private readonly access: AccessRepository,
    private readonly rollups: RollupService,
    config: ConfigService<Environment, true>,
  ) {
    this.retention = metricRetention(config);
  }

  async forHost(organizationId: string, hostId: string, query: MetricsRangeQuery): Promise<HostSampleRow[] | HostMetricBucket[]> {
    const window = metricWindow(query, this.retention);
    await requireHost(this.access, organizationId, hostId);
    if (window.source === 'raw') return this.repository.samples(hostId, window.from, window.to, window.limit);
    if (window.source === 'rollup-buckets') await this.rollups.settle(window.tier);
    const source = window.source === 'rollup-buckets' ? window.tier : 'raw';
    return (await this.repository.buckets(source, hostId, window.from, window.to, window.bucketMs, window.limit)).map(toHostBucket);
  }
}
