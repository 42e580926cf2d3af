import type { SqlClient } from '../database/sql-client.js';
import { ROLLUP_KINDS } from './rollup-specs.js';
import { RollupsRepository } from './rollups.repository.js';

/**
 * Recomputes the container and host rollups of [from, to) from the raw samples, outside the
 * running service: backfills after importing raw data, repairs, and the query benchmark.
 */
export async function rebuildRollups(sql: SqlClient, from: Date, to: Date): Promise<void> {
  const repository = new RollupsRepository(sql);
  for (const kind of ROLLUP_KINDS) await repository.rebuild(kind, from, to);
}
