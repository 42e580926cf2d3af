import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import type { TimeRange } from '../time-series/time-range.query.js';

export interface ContainerEventQueryRow {
  ts: string;
  action: string;
  exitCode: number | null;
  health: string | null;
}

/** Reads container_events for the events endpoint (ContainerEventsRepository is its bulk writer). */
@Injectable()
export class ContainerEventsQueryRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The container's events in [from, to), newest first; ties at one instant in a fixed order. */
  list(containerId: string, { from, to, limit }: TimeRange): Promise<ContainerEventQueryRow[]> {
    return this.sql.query<ContainerEventQueryRow>(
      `SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts, action, exit_code AS "exitCode", health
       FROM container_events
       WHERE container_id = $1::uuid AND ts >= $2::timestamptz AND ts < $3::timestamptz
       ORDER BY container_events.ts DESC, action DESC LIMIT $4::int4`,
      [containerId, from.toISOString(), to.toISOString(), limit],
    );
  }
}
