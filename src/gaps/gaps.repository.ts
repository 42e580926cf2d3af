import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import { MINUTE_MS } from '../gap-ledger/minutes.js';
import type { GapKind, Span } from './gap-periods.js';

/** The per-minute rollup whose rows say a minute of a kind has data (for containers: any container of the host). */
const PRESENCE_TABLE: Record<GapKind, string> = { host_metrics: 'host_metrics_1m', container_metrics: 'container_metrics_1m' };

@Injectable()
export class GapsRepository {
  constructor(private readonly sql: SqlClient) {}

  async hostCreatedAt(hostId: string): Promise<number> {
    const [row] = await this.sql.query<{ createdAt: Date | string }>(`SELECT created_at AS "createdAt" FROM hosts WHERE id = $1::uuid`, [hostId]);
    return new Date(row.createdAt).getTime();
  }

  /**
   * The minutes of [from, to) (whole minutes) without a rollup row of `kind`, as spans. Gaps and
   * islands in SQL: only the rows at an island's edge leave the database, never one per minute.
   */
  async missing(kind: GapKind, hostId: string, from: number, to: number): Promise<Span[]> {
    const edges = await this.sql.query<{ prev: Date | string | null; ts: Date | string; next: Date | string | null }>(
      `SELECT prev, ts, next FROM (
         SELECT ts, lag(ts) OVER w AS prev, lead(ts) OVER w AS next
         FROM ${PRESENCE_TABLE[kind]} WHERE host_id = $1::uuid AND ts >= $2::timestamptz AND ts < $3::timestamptz
         WINDOW w AS (ORDER BY ts)
       ) t
       WHERE prev IS NULL OR next IS NULL OR ts - prev > interval '1 minute'
       ORDER BY ts`,
      [hostId, new Date(from).toISOString(), new Date(to).toISOString()],
    );
    if (!edges.length) return [{ from, to }];
    const ms = (value: Date | string) => new Date(value).getTime();
    const spans: Span[] = [];
    for (const edge of edges) {
      const ts = ms(edge.ts);
      if (edge.prev === null && ts > from) spans.push({ from, to: ts });
      if (edge.prev !== null && ts - ms(edge.prev) > MINUTE_MS) spans.push({ from: ms(edge.prev) + MINUTE_MS, to: ts });
      if (edge.next === null && ts + MINUTE_MS < to) spans.push({ from: ts + MINUTE_MS, to });
    }
    return spans;
  }
}
