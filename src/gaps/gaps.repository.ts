import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

@Injectable()
export class GapsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** When the host was created; now if it is gone (deleted since its access was checked), so there is nothing to report. */
  async hostCreatedAt(hostId: string): Promise<number> {
    const [row] = await this.sql.query<{ createdAt: Date | string }>(`SELECT created_at AS "createdAt" FROM hosts WHERE id = $1::uuid`, [hostId]);
    return row ? new Date(row.createdAt).getTime() : Date.now();
  }
}
