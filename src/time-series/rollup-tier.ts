import { MINUTE_MS } from './counters.js';

export type RollupTier = 'minute' | 'hour' | 'day';

/** Finest first: each tier is folded from the one before it. */
export const ROLLUP_TIERS: readonly RollupTier[] = ['minute', 'hour', 'day'];

export const TIER_MS: Readonly<Record<RollupTier, number>> = { minute: MINUTE_MS, hour: 60 * MINUTE_MS, day: 1440 * MINUTE_MS };

/** The oldest instant each tier still holds, as now − its retention (ms). */
export type TierEdges = Readonly<Record<RollupTier, number>>;

/**
 * The tier a bucketed read uses: of the tiers whose resolution divides the bucket, the coarsest
 * whose retention reaches back to `from` (a coarser tier is never less exact, only fewer rows).
 * When none reaches that far, the coarsest dividing tier, whose window the read is then clamped
 * to. Undefined when no tier divides the bucket (raw samples serve it).
 */
export function chooseTier(bucketMs: number, fromMs: number, edges: TierEdges): RollupTier | undefined {
  const dividing = ROLLUP_TIERS.filter((tier) => bucketMs % TIER_MS[tier] === 0).reverse();
  return dividing.find((tier) => edges[tier] <= fromMs) ?? dividing[0];
}
