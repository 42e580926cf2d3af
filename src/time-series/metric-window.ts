import type { ConfigService } from '@nestjs/config';
import { parseDuration } from '../config/duration.js';
import type { Environment } from '../config/environment.js';
import { METRICS_RETENTION, ROLLUPS_RETENTION } from './metrics-retention.js';
import { MINUTE_MS } from './counters.js';
import type { MetricsRangeQuery } from './metrics-range.query.js';
import { resolveRange } from './time-range.query.js';

/** What a metrics query reads: raw samples, raw samples in buckets, or per-minute rollups in buckets. */
export type MetricWindow =
  | { source: 'raw'; from: Date; to: Date; limit: number }
  | { source: 'raw-buckets' | 'rollup-buckets'; from: Date; to: Date; limit: number; bucketMs: number };

export interface RetentionMs {
  raw: number;
  rollups: number;
}

/** How long raw samples and rollups are kept. */
export function metricRetention(config: ConfigService<Environment, true>): RetentionMs {
  return {
    raw: config.getOrThrow('retention', { infer: true })[METRICS_RETENTION.name].ms,
    rollups: config.getOrThrow('retention', { infer: true })[ROLLUPS_RETENTION.name].ms,
  };
}

/**
 * Resolves a metrics query. Widths of whole minutes are served by the rollups, which outlive the
 * raw samples; others by raw samples. A bucketed window is widened to whole buckets (the same
 * answer whichever table serves it) but never reaches past the retention edge of its source.
 */
export function metricWindow(query: MetricsRangeQuery, retention: RetentionMs, now = Date.now()): MetricWindow {
  if (query.bucket === undefined) return { source: 'raw', ...resolveRange(query, { oldestMs: now - retention.raw }) };
  const bucketMs = parseDuration(query.bucket)!;
  const source = bucketMs % MINUTE_MS === 0 ? 'rollup-buckets' : 'raw-buckets';
  const oldestMs = now - (source === 'rollup-buckets' ? retention.rollups : retention.raw);
  const { from, to, limit } = resolveRange(query, { oldestMs });
  return {
    source,
    from: new Date(Math.max(Math.floor(from.getTime() / bucketMs) * bucketMs, oldestMs)),
    to: new Date(Math.ceil(to.getTime() / bucketMs) * bucketMs),
    limit,
    bucketMs,
  };
}

/** A bucket width as a PostgreSQL interval literal. */
export const intervalOf = (ms: number) => `${ms / 1000} seconds`;
