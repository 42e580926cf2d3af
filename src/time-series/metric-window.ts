import type { ConfigService } from '@nestjs/config';
import { parseDuration } from '../config/duration.js';
import type { Environment } from '../config/environment.js';
import { METRICS_RETENTION, ROLLUPS_DAILY_RETENTION, ROLLUPS_HOURLY_RETENTION, ROLLUPS_RETENTION } from './metrics-retention.js';
import type { MetricsRangeQuery } from './metrics-range.query.js';
import { chooseTier, type RollupTier } from './rollup-tier.js';
import { resolveRange } from './time-range.query.js';

/** What a metrics query reads: raw samples, raw samples in buckets, or one rollup tier in buckets. */
export type MetricWindow =
  | { source: 'raw'; from: Date; to: Date; limit: number }
  | { source: 'raw-buckets'; from: Date; to: Date; limit: number; bucketMs: number }
  | { source: 'rollup-buckets'; tier: RollupTier; from: Date; to: Date; limit: number; bucketMs: number };

/** How long raw samples and each rollup tier are kept. */
export interface RetentionMs {
  raw: number;
  rollups: number;
  hourly: number;
  daily: number;
}

export function metricRetention(config: ConfigService<Environment, true>): RetentionMs {
  const retention = config.getOrThrow('retention', { infer: true });
  return {
    raw: retention[METRICS_RETENTION.name].ms,
    rollups: retention[ROLLUPS_RETENTION.name].ms,
    hourly: retention[ROLLUPS_HOURLY_RETENTION.name].ms,
    daily: retention[ROLLUPS_DAILY_RETENTION.name].ms,
  };
}

/**
 * Resolves a metrics query. Widths of whole minutes are served by a rollup tier (chooseTier), which
 * outlives the raw samples; others by raw samples. A bucketed window is widened to whole buckets
 * (the same answer whichever table serves it) but never reaches past the retention edge of its source.
 */
export function metricWindow(query: MetricsRangeQuery, retention: RetentionMs, now = Date.now()): MetricWindow {
  if (query.bucket === undefined) return { source: 'raw', ...resolveRange(query, { oldestMs: now - retention.raw }) };
  const bucketMs = parseDuration(query.bucket)!;
  const requested = resolveRange(query);
  const edges = { minute: now - retention.rollups, hour: now - retention.hourly, day: now - retention.daily };
  const tier = chooseTier(bucketMs, Math.floor(requested.from.getTime() / bucketMs) * bucketMs, edges);
  const oldestMs = tier === undefined ? now - retention.raw : edges[tier];
  const { from, to, limit } = resolveRange(query, { oldestMs });
  const window = {
    from: new Date(Math.max(Math.floor(from.getTime() / bucketMs) * bucketMs, oldestMs)),
    to: new Date(Math.ceil(to.getTime() / bucketMs) * bucketMs),
    limit,
    bucketMs,
  };
  return tier === undefined ? { source: 'raw-buckets', ...window } : { source: 'rollup-buckets', tier, ...window };
}

/** A bucket width as a PostgreSQL interval literal. */
export const intervalOf = (ms: number) => `${ms / 1000} seconds`;
