import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

/**
 * The one place that answers "which of these belong to this organization", for REST reads and
 * live topics alike, a set at a time. Ids must be valid UUIDs (callers parse them first); the
 * answer holds them as the database prints them, lower-cased.
 */
@Injectable()
export class AccessRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The subset of `hostIds` that belong to the organization. */
  async ownedHosts(organizationId: string, hostIds: Iterable<string>): Promise<Set<string>> {
    const ids = [...hostIds];
    if (!ids.length) return new Set();
    const rows = await this.sql.query<{ id: string }>('SELECT id FROM hosts WHERE organization_id = $1::uuid AND id = ANY($2::uuid[])', [organizationId, ids]);
    return new Set(rows.map((row) => row.id));
  }

  /** The subset of `containerIds` whose host belongs to the organization. */
  async ownedContainers(organizationId: string, containerIds: Iterable<string>): Promise<Set<string>> {
    const ids = [...containerIds];
    if (!ids.length) return new Set();
    const rows = await this.sql.query<{ id: string }>(
      `SELECT c.id FROM containers c JOIN hosts h ON h.id = c.host_id
       WHERE h.organization_id = $1::uuid AND c.id = ANY($2::uuid[])`,
      [organizationId, ids],
    );
    return new Set(rows.map((row) => row.id));
  }
}
