import { Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { isUUID } from 'class-validator';
import { AccessRepository } from '../access/access.repository.js';
import { requireContainer } from '../access/require-access.js';
import type { Environment } from '../config/environment.js';
import { RollupService } from '../rollups/rollup.service.js';
import { metricRetention, metricWindow, type RetentionMs } from '../time-series/metric-window.js';
import type { MetricsRangeQuery } from '../time-series/metrics-range.query.js';
import { DEFAULT_LIMIT } from '../time-series/time-range.query.js';
import { toContainerBucket, type ContainerMetricBucket } from './dto/container-metric.view.js';
import { DEFAULT_HISTORY_HOURS, type MetricsHistoryQuery } from './dto/metrics-history.query.js';
import { MetricsQueryRepository, type ContainerHistoryRow, type ContainerSampleRow } from './metrics-query.repository.js';

const HOUR_MS = 3_600_000;

/** Container metrics as the API reads them: raw samples, or buckets from raw samples or rollups. */
@Injectable()
export class MetricsQueryService {
  private readonly retention: RetentionMs;

  constructor(
    private readonly repository: MetricsQueryRepository,
    private readonly access: AccessRepository,
    private readonly rollups: RollupService,
    config: ConfigService<Environment, true>,
  ) {
    this.retention = metricRetention(config);
  }

  async forContainer(organizationId: string, containerId: string, query: MetricsRangeQuery): Promise<ContainerSampleRow[] | ContainerMetricBucket[]> {
    const window = metricWindow(query, this.retention);
    await requireContainer(this.access, organizationId, containerId);
    if (window.source === 'raw') return this.repository.samples(containerId, window.from, window.to, window.limit);
    // Rows acknowledged before this request must be in the rollups it reads.
    if (window.source === 'rollup-buckets') await this.rollups.settle(window.tier);
    const source = window.source === 'rollup-buckets' ? window.tier : 'raw';
    const rows = await this.repository.buckets(source, containerId, window.from, window.to, window.bucketMs, window.limit);
    return rows.map(toContainerBucket);
  }

  async history(organizationId: string, query: MetricsHistoryQuery): Promise<ContainerHistoryRow[]> {
    const now = Date.now();
    const from = new Date(now - Math.min((query.hours ?? DEFAULT_HISTORY_HOURS) * HOUR_MS, this.retention.raw));
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (query.containerId === undefined) return this.repository.organizationHistory(organizationId, from, limit);
    // Ids are opaque: a malformed one is as unknown as another organization's.
    if (!isUUID(query.containerId)) throw new NotFoundException('Container not found');
    await requireContainer(this.access, organizationId, query.containerId);
    return this.repository.containerHistory(query.containerId, from, limit);
  }
}
