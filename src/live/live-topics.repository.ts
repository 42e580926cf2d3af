import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

/** Which hosts and containers an organization owns, for authorizing dashboard topics. */
@Injectable()
export class LiveTopicsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The subset of `hostIds` (valid UUIDs) that belong to the organization. */
  async ownedHosts(organizationId: string, hostIds: string[]): Promise<Set<string>> {
    if (!hostIds.length) return new Set();
    const rows = await this.sql.query<{ id: string }>('SELECT id FROM hosts WHERE organization_id = $1::uuid AND id = ANY($2::uuid[])', [
      organizationId,
      hostIds,
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** The subset of `containerIds` (valid UUIDs) whose host belongs to the organization. */
  async ownedContainers(organizationId: string, containerIds: string[]): Promise<Set<string>> {
    if (!containerIds.length) return new Set();
    const rows = await this.sql.query<{ id: string }>(
      `SELECT c.id FROM containers c JOIN hosts h ON h.id = c.host_id
       WHERE h.organization_id = $1::uuid AND c.id = ANY($2::uuid[])`,
      [organizationId, containerIds],
    );
    return new Set(rows.map((row) => row.id));
  }
}
