import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import { MINUTE_MS } from '../time-series/counters.js';
import { TIER_MS, type RollupTier } from '../time-series/rollup-tier.js';
import type { PeriodPairs } from './dirty-periods.js';
import { recentMinutesSql, rebuildSql, recomputeSql } from './rollup-sql.js';
import { ROLLUP_KINDS, ROLLUP_SPECS, type RollupKind, type RollupSpec } from './rollup-specs.js';
import { FOLDED_TIERS, foldSql, refoldSql, type FoldedTier } from './rollup-tier-sql.js';

const HOUR_MS = 3_600_000;
/** An hour of 1 s samples for a hundred containers sorts in memory with this, instead of spilling to disk. */
const REBUILD_WORK_MEM = '256MB';
const REBUILD_TIMEOUT_MS = 600_000;
/** Hours rebuilt side by side: the statements are CPU-bound, one core each. */
const REBUILD_CONCURRENCY = 2;
const RECOMPUTE_TIMEOUT_MS = 60_000;
/**
 * These statements are cheap per row but many rows; PostgreSQL's cost model would JIT-compile them,
 * which alone takes about a second each time, longer than the work it is meant to speed up.
 */
const NO_JIT = 'SET LOCAL jit = off';

const perKind = (build: (spec: RollupSpec) => string) =>
  Object.fromEntries(ROLLUP_KINDS.map((kind) => [kind, build(ROLLUP_SPECS[kind])])) as Record<RollupKind, string>;

const RECOMPUTE = perKind(recomputeSql);
const REBUILD = perKind(rebuildSql);
const RECENT = perKind(recentMinutesSql);
const perTier = (build: (spec: RollupSpec, tier: FoldedTier) => string) =>
  Object.fromEntries(FOLDED_TIERS.map((tier) => [tier, perKind((spec) => build(spec, tier))])) as Record<FoldedTier, Record<RollupKind, string>>;
const FOLD = perTier(foldSql);
const REFOLD = perTier(refoldSql);
/** Periods refolded per statement: a day of hours from minutes, 90 days of days from hours. */
const REFOLD_CHUNK_MS: Record<FoldedTier, number> = { hour: 24 * HOUR_MS, day: 90 * 24 * HOUR_MS };

/** The rollup tier tables: minutes recomputed from raw samples, hours from minutes, days from hours; never incremented. */
@Injectable()
export class RollupsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Recomputes these (series, period) pairs of one tier in one statement; returns the pairs whose rows changed. */
  async recompute(tier: RollupTier, kind: RollupKind, pairs: PeriodPairs): Promise<PeriodPairs> {
    if (pairs.keys.length === 0) return { keys: [], periods: [] };
    const periods = pairs.periods.map((period) => `${period}:00Z`);
    const statement = tier === 'minute' ? RECOMPUTE[kind] : FOLD[tier][kind];
    const changed = await this.sql.ingest.transaction(
      async (tx) => {
        await tx.exec(NO_JIT);
        return tx.query<{ key: string; period: string }>(statement, [pairs.keys, periods]);
      },
      { timeoutMs: RECOMPUTE_TIMEOUT_MS },
    );
    return { keys: changed.map((row) => row.key), periods: changed.map((row) => row.period) };
  }

  /** Recomputes every period of a coarser tier overlapping [from, to) from the finer tier, in chunks of one transaction each. */
  async refold(tier: FoldedTier, kind: RollupKind, from: Date, to: Date): Promise<void> {
    const width = TIER_MS[tier];
    const end = Math.ceil(to.getTime() / width) * width;
    for (let start = Math.floor(from.getTime() / width) * width; start < end; start += REFOLD_CHUNK_MS[tier]) {
      const params = [new Date(start).toISOString(), new Date(Math.min(end, start + REFOLD_CHUNK_MS[tier])).toISOString()];
      await this.sql.transaction(
        async (tx) => {
          await tx.exec(NO_JIT);
          await tx.query(REFOLD[tier][kind], params);
        },
        { timeoutMs: REBUILD_TIMEOUT_MS },
      );
    }
  }

  /**
   * Recomputes every minute overlapping [from, to) from raw samples, set-based: one statement per
   * hour of data whatever the number of series, each in its own transaction (a long range neither
   * holds one huge snapshot nor loses everything to one failure), two hours at a time.
   */
  async rebuild(kind: RollupKind, from: Date, to: Date): Promise<void> {
    const hours: Array<[string, string]> = [];
    const end = Math.ceil(to.getTime() / MINUTE_MS) * MINUTE_MS;
    for (let start = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS; start < end; ) {
      const stop = Math.min(end, Math.floor(start / HOUR_MS) * HOUR_MS + HOUR_MS);
      hours.push([new Date(start).toISOString(), new Date(stop).toISOString()]);
      start = stop;
    }
    const rebuildNext = async (): Promise<void> => {
      for (let range = hours.shift(); range; range = hours.shift()) {
        const params = range;
        await this.sql
          .transaction(
            async (tx) => {
              await tx.exec(`${NO_JIT}; SET LOCAL work_mem = '${REBUILD_WORK_MEM}'`);
              await tx.query(REBUILD[kind], params);
            },
            { timeoutMs: REBUILD_TIMEOUT_MS },
          )
          .catch((error: unknown) => {
            hours.length = 0; // the other worker stops too
            throw error;
          });
      }
    };
    await Promise.all(Array.from({ length: REBUILD_CONCURRENCY }, rebuildNext));
  }

  /** The (series, minute) pairs with raw samples since `since`. */
  async recentMinutes(kind: RollupKind, since: Date): Promise<PeriodPairs> {
    const rows = await this.sql.query<{ key: string; period: string }>(RECENT[kind], [since.toISOString()]);
    return { keys: rows.map((row) => row.key), periods: rows.map((row) => row.period) };
  }
}
