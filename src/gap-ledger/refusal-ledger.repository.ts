import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

export interface RefusalCount {
  hostId: string;
  kind: string;
  minute: number;
  frames: number;
  rows: number;
  code: string;
}

@Injectable()
export class RefusalLedgerRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Adds the counts to what is recorded (several instances add to the same minute). */
  async add(counts: RefusalCount[]): Promise<void> {
    if (!counts.length) return;
    await this.sql.query(
      `INSERT INTO ingest_refusals (host_id, kind, minute, frames, rows, last_code)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int4[], $5::int4[], $6::text[])
       ON CONFLICT (host_id, kind, minute) DO UPDATE SET
         frames = LEAST(ingest_refusals.frames::int8 + EXCLUDED.frames, 2147483647)::int4,
         rows = LEAST(ingest_refusals.rows::int8 + EXCLUDED.rows, 2147483647)::int4,
         last_code = EXCLUDED.last_code`,
      [
        counts.map((c) => c.hostId),
        counts.map((c) => c.kind),
        counts.map((c) => new Date(c.minute).toISOString()),
        counts.map((c) => c.frames),
        counts.map((c) => c.rows),
        counts.map((c) => c.code),
      ],
    );
  }

  /** The minutes in [from, to) with refused frames of `kind`, in epoch ms. */
  async minutes(hostId: string, kind: string, from: Date, to: Date): Promise<number[]> {
    const rows = await this.sql.query<{ minute: Date | string }>(
      `SELECT minute FROM ingest_refusals WHERE host_id = $1::uuid AND kind = $2 AND minute >= $3::timestamptz AND minute < $4::timestamptz`,
      [hostId, kind, from.toISOString(), to.toISOString()],
    );
    return rows.map((row) => new Date(row.minute).getTime());
  }

  async deleteBefore(before: Date): Promise<number> {
    const rows = await this.sql.query(`DELETE FROM ingest_refusals WHERE minute < $1::timestamptz RETURNING 1`, [before.toISOString()]);
    return rows.length;
  }
}
