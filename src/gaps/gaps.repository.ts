import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';

@Injectable()
export class GapsRepository {
  constructor(private readonly sql: SqlClient) {}

  async hostCreatedAt(hostId: string): Promise<number> {
    const [row] = await this.sql.query<{ createdAt: Date | string }>(`SELECT created_at AS "createdAt" FROM hosts WHERE id = $1::uuid`, [hostId]);
    return new Date(row.createdAt).getTime();
  }
}
