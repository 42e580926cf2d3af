import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

export interface ConnectionRecord {
  id: string;
  hostId: string;
  instanceId: string;
  transport: 'socket' | 'http';
  connectedAt: number;
  lastSeenAt: number;
  disconnectedAt?: number;
}

/** A connection as the gaps read it: when it began and when it ended (or now, while it lasts). */
export interface ConnectionSpan {
  from: number;
  to: number;
}

@Injectable()
export class ConnectionLedgerRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Writes the current state of each connection; a row only ever moves forward (seen later, closed). */
  async upsert(records: ConnectionRecord[]): Promise<void> {
    if (!records.length) return;
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    await this.sql.query(
      `INSERT INTO agent_connections (id, host_id, instance_id, transport, connected_at, last_seen_at, disconnected_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET
         last_seen_at = GREATEST(agent_connections.last_seen_at, EXCLUDED.last_seen_at),
         disconnected_at = COALESCE(agent_connections.disconnected_at, EXCLUDED.disconnected_at)`,
      [
        records.map((r) => r.id),
        records.map((r) => r.hostId),
        records.map((r) => r.instanceId),
        records.map((r) => r.transport),
        records.map((r) => iso(r.connectedAt)),
        records.map((r) => iso(r.lastSeenAt)),
        records.map((r) => iso(r.disconnectedAt)),
      ],
    );
  }

  /**
   * The host's connections overlapping [from, to), from every instance, oldest first. An open row
   * not seen since `staleBefore` belongs to an instance that died: it ended when last seen.
   */
  async spans(hostId: string, from: Date, to: Date, staleBefore: Date, now: Date): Promise<ConnectionSpan[]> {
    const rows = await this.sql.query<{ from: Date | string; to: Date | string }>(
      `SELECT connected_at AS "from", ended_at AS "to" FROM (
         SELECT connected_at, COALESCE(disconnected_at, CASE WHEN last_seen_at < $4::timestamptz THEN last_seen_at ELSE $5::timestamptz END) AS ended_at
         FROM agent_connections WHERE host_id = $1::uuid AND connected_at < $3::timestamptz) c
       WHERE ended_at >= $2::timestamptz ORDER BY connected_at`,
      [hostId, from.toISOString(), to.toISOString(), staleBefore.toISOString(), now.toISOString()],
    );
    return rows.map((row) => ({ from: new Date(row.from).getTime(), to: new Date(row.to).getTime() }));
  }

  /** Connections that ended (or were last seen) before `before`; returns how many were deleted. */
  async deleteEndedBefore(before: Date): Promise<number> {
    const rows = await this.sql.query(`DELETE FROM agent_connections WHERE last_seen_at < $1::timestamptz RETURNING 1`, [before.toISOString()]);
    return rows.length;
  }
}
