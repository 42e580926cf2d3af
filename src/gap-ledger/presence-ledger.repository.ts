import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

/** The minutes of one hour with data: bit n is minute n. */
export interface HourPresence {
  hostId: string;
  kind: string;
  hour: number;
  minutes: bigint;
}

@Injectable()
export class PresenceLedgerRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Sets the bits (never clears one: several instances and resent frames only add). */
  async add(entries: HourPresence[]): Promise<void> {
    if (!entries.length) return;
    await this.sql.query(
      `INSERT INTO data_presence (host_id, kind, hour, minutes)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int8[])
       ON CONFLICT (host_id, kind, hour) DO UPDATE SET minutes = data_presence.minutes | EXCLUDED.minutes`,
      [entries.map((e) => e.hostId), entries.map((e) => e.kind), entries.map((e) => new Date(e.hour).toISOString()), entries.map((e) => e.minutes.toString())],
    );
  }

  /** hour (epoch ms) → minutes with data, for the hours of `kind` overlapping [from, to). */
  async hours(hostId: string, kind: string, from: number, to: number): Promise<Map<number, bigint>> {
    const rows = await this.sql.query<{ hour: Date | string; minutes: string | number | bigint }>(
      `SELECT hour, minutes::text AS minutes FROM data_presence WHERE host_id = $1::uuid AND kind = $2 AND hour > $3::timestamptz - interval '1 hour' AND hour < $4::timestamptz`,
      [hostId, kind, new Date(from).toISOString(), new Date(to).toISOString()],
    );
    return new Map(rows.map((row) => [new Date(row.hour).getTime(), BigInt(row.minutes)]));
  }

  /** Hours that ended before `before`. */
  async deleteBefore(before: Date): Promise<number> {
    const rows = await this.sql.query(`DELETE FROM data_presence WHERE hour <= $1::timestamptz - interval '1 hour' RETURNING 1`, [before.toISOString()]);
    return rows.length;
  }
}
