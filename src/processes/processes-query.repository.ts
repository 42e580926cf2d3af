import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

export interface ProcessSampleRow {
  ts: Date;
  pid: number;
  ppid: number;
  name: string;
  command: string;
  user: string;
  cpuPercent: number;
  memoryRss: number;
  memoryPercent: number;
  threads: number;
  state: string;
}

const COLUMNS = `ts, pid, ppid, name, command, "user", cpu_percent AS "cpuPercent", memory_rss::float8 AS "memoryRss",
  memory_percent AS "memoryPercent", threads, state`;

/** Reads process_samples for the processes endpoint (ProcessesRepository is its bulk writer); callers check access first. */
@Injectable()
export class ProcessesQueryRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Every process of the host's newest snapshot taken at or after `oldest`. */
  latest(hostId: string, oldest: Date): Promise<ProcessSampleRow[]> {
    return this.sql.query<ProcessSampleRow>(
      `SELECT ${COLUMNS} FROM process_samples
       WHERE host_id = $1::uuid AND ts = (SELECT max(ts) FROM process_samples WHERE host_id = $1::uuid AND ts >= $2::timestamptz)
       ORDER BY pid`,
      [hostId, oldest.toISOString()],
    );
  }

  /** Every process of the snapshot nearest `at` (on a tie the earlier one), among those taken at or after `oldest`. */
  nearest(hostId: string, at: Date, oldest: Date): Promise<ProcessSampleRow[]> {
    return this.sql.query<ProcessSampleRow>(
      `SELECT ${COLUMNS} FROM process_samples
       WHERE host_id = $1::uuid AND ts = (
         SELECT ts FROM (
           (SELECT ts FROM process_samples WHERE host_id = $1::uuid AND ts >= $3::timestamptz AND ts <= $2::timestamptz ORDER BY ts DESC LIMIT 1)
           UNION ALL
           (SELECT ts FROM process_samples WHERE host_id = $1::uuid AND ts >= $3::timestamptz AND ts > $2::timestamptz ORDER BY ts ASC LIMIT 1)
         ) candidates
         ORDER BY abs(extract(epoch FROM ts - $2::timestamptz)), ts
         LIMIT 1)
       ORDER BY pid`,
      [hostId, at.toISOString(), oldest.toISOString()],
    );
  }

  /** One process's samples in [from, to), newest first. */
  history(hostId: string, pid: number, from: Date, to: Date, limit: number): Promise<ProcessSampleRow[]> {
    return this.sql.query<ProcessSampleRow>(
      `SELECT ${COLUMNS} FROM process_samples
       WHERE host_id = $1::uuid AND ts >= $2::timestamptz AND ts < $3::timestamptz AND pid = $4::int4
       ORDER BY ts DESC LIMIT $5::int4`,
      [hostId, from.toISOString(), to.toISOString(), pid, limit],
    );
  }
}
