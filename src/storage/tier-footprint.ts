import { DAY_MS } from '../database/time-series-tables.js';
import { TIER_MS, type RollupTier } from '../time-series/rollup-tier.js';

type Tier = 'raw' | RollupTier;
const SUFFIX: Readonly<Record<Tier, string>> = { raw: '', minute: '_1m', hour: '_1h', day: '_1d' };
/** Each row of a tier stands for this much time; raw samples come every few seconds, so a minute bounds a young table's span from below. */
const ROW_SPAN_MS: Readonly<Record<Tier, number>> = { raw: TIER_MS.minute, ...TIER_MS };
const METRIC_TABLES = { container: 'container_metrics', host: 'host_metrics' } as const;

interface Figures {
  rows: number;
  bytes: number;
  oldest: string | null;
  newest: string | null;
}

/** On-disk bytes of each metrics tier, for container and host metrics. */
export function tierBytes(tables: Readonly<Record<string, Figures>>): Record<keyof typeof METRIC_TABLES, Record<Tier, number>> {
  const of = (prefix: string) => Object.fromEntries(Object.entries(SUFFIX).map(([tier, suffix]) => [tier, tables[prefix + suffix]?.bytes ?? 0])) as Record<Tier, number>;
  return { container: of(METRIC_TABLES.container), host: of(METRIC_TABLES.host) };
}

/**
 * What one host adds to the metrics tables per day: for each table (raw and every tier), its bytes
 * spread over the days its rows span (newest − oldest, plus one row's period), divided among the
 * hosts. A table's daily share is its growth rate while it fills, and its steady size over its
 * retention once partitions are dropped.
 */
export function bytesPerHostPerDay(tables: Readonly<Record<string, Figures>>, hosts: number): number {
  let total = 0;
  for (const prefix of Object.values(METRIC_TABLES)) {
    for (const [tier, suffix] of Object.entries(SUFFIX) as Array<[Tier, string]>) {
      const figures = tables[prefix + suffix];
      if (!figures || figures.rows === 0 || !figures.oldest || !figures.newest) continue;
      const spanMs = Date.parse(figures.newest) - Date.parse(figures.oldest) + ROW_SPAN_MS[tier];
      total += figures.bytes / (spanMs / DAY_MS);
    }
  }
  return Math.round(total / Math.max(1, hosts));
}
