import type { SqlClient } from '../database/sql-client.js';
import { ROLLUP_KINDS } from './rollup-specs.js';
import { FOLDED_TIERS } from './rollup-tier-sql.js';
import { RollupsRepository } from './rollups.repository.js';

/**
 * Recomputes the container and host rollups of [from, to) outside the running service: minutes
 * from the raw samples, then the hours and days overlapping the range (widened to whole hours and
 * days) from the tier below. Backfills after importing raw data, repairs, and the query benchmark.
 */
export async function rebuildRollups(sql: SqlClient, from: Date, to: Date): Promise<void> {
  const repository = new RollupsRepository(sql);
  for (const kind of ROLLUP_KINDS) await repository.rebuild(kind, from, to);
  for (const tier of FOLDED_TIERS) for (const kind of ROLLUP_KINDS) await repository.refold(tier, kind, from, to);
}
