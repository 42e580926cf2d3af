import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import { MINUTE_MS } from '../time-series/counters.js';
import type { MinutePairs } from './dirty-minutes.js';
import { recentMinutesSql, rebuildSql, recomputeSql } from './rollup-sql.js';
import { ROLLUP_KINDS, ROLLUP_SPECS, type RollupKind, type RollupSpec } from './rollup-specs.js';

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

/** The per-minute rollup tables: recomputed from raw samples, never incremented. */
@Injectable()
export class RollupsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Recomputes these (series, minute) pairs in one statement. */
  async recompute(kind: RollupKind, pairs: MinutePairs): Promise<void> {
    if (pairs.keys.length === 0) return;
    const minutes = pairs.minutes.map((minute) => `${minute}:00Z`);
    await this.sql.ingest.transaction(
      async (tx) => {
        await tx.exec(NO_JIT);
        await tx.query(RECOMPUTE[kind], [pairs.keys, minutes]);
      },
      { timeoutMs: RECOMPUTE_TIMEOUT_MS },
    );
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
  async recentMinutes(kind: RollupKind, since: Date): Promise<MinutePairs> {
    const rows = await this.sql.query<{ key: string; minute: string }>(RECENT[kind], [since.toISOString()]);
    return { keys: rows.map((row) => row.key), minutes: rows.map((row) => row.minute) };
  }
}
