import { bucketStart } from '../time-series/counters.js';
import { ROLLUP_TIERS, TIER_MS, type RollupTier } from '../time-series/rollup-tier.js';
import { upsert } from './rollup-sql.js';
import type { RollupSpec } from './rollup-specs.js';

/** The coarser tiers, each folded from the tier before it. */
export type FoldedTier = Exclude<RollupTier, 'minute'>;
export const FOLDED_TIERS: readonly FoldedTier[] = ['hour', 'day'];

export const finerTier = (tier: FoldedTier): RollupTier => ROLLUP_TIERS[ROLLUP_TIERS.indexOf(tier) - 1];

/** In hours, not days: `+ interval '1 day'` follows the session time zone's calendar. */
const widthOf = (tier: RollupTier) => `interval '${TIER_MS[tier] / 1000} seconds'`;

/**
 * Recomputes the given (series, period) pairs of `tier` from the finer tier's rows of each period
 * ($1 keys, $2 period starts, paired by position), read through its primary key: at most 60 minutes
 * of an hour or 24 hours of a day. Returns the periods that changed.
 */
export function foldSql(spec: RollupSpec, tier: FoldedTier): string {
  const { key } = spec;
  return `WITH dirty AS (
      SELECT DISTINCT d.key, d.period FROM unnest($1::uuid[], $2::timestamptz[]) AS d(key, period)
    ), finer AS (
      SELECT r.*, d.period FROM dirty d
      JOIN ${spec.tables[finerTier(tier)]} r ON r.${key} = d.key AND r.ts >= d.period AND r.ts < d.period + ${widthOf(tier)}
    )
    ${upsert(spec, spec.tables[tier], spec.fold, 'finer', 'period', true)}`;
}

/** Recomputes every period of `tier` in [$1, $2) (whole periods) from the finer tier, in one statement. */
export function refoldSql(spec: RollupSpec, tier: FoldedTier): string {
  const finer = `(SELECT *, ${bucketStart(widthOf(tier))} AS period FROM ${spec.tables[finerTier(tier)]} WHERE ts >= $1 AND ts < $2) finer`;
  return upsert(spec, spec.tables[tier], spec.fold, finer, 'period');
}
