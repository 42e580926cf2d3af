import { Injectable } from '@nestjs/common';
import { quoteIdent } from '../database/partition-manager.js';
import { SqlClient } from '../database/sql-client.js';
import { planRowsByRelation, type HeapStats } from './row-estimates.js';

export interface RelationStats extends HeapStats {
  name: string;
  bytes: number;
  heapBytes: number;
}

/** What reading a relation found: rows when counted, whether it holds any, and its created_at range if asked. */
export interface Probe {
  name: string;
  rows: number | null;
  nonEmpty: boolean;
  oldest: Date | null;
  newest: Date | null;
}

export interface ProbeRequest {
  name: string;
  /** Count every row (small relations) rather than only check for one. */
  count: boolean;
  /** Column whose range to report along with the count. */
  timeColumn?: string;
}

/** Catalog and cheap reads for the storage-health figures, on both engines. */
@Injectable()
export class StorageCatalogRepository {
  constructor(private readonly sql: SqlClient) {}

  async databaseSizeBytes(): Promise<number> {
    return (await this.sql.query<{ bytes: number }>(`SELECT pg_database_size(current_database())::float8 AS bytes`))[0].bytes;
  }

  /** Sizes and statistics of ordinary (unpartitioned) tables. */
  tables(names: string[]): Promise<RelationStats[]> {
    return this.sql.query<RelationStats>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes, heap.bytes AS "heapBytes",
              ceil(heap.bytes / current_setting('block_size')::float8) AS "heapPages",
              c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages
       FROM pg_class c CROSS JOIN LATERAL (SELECT pg_relation_size(c.oid)::float8 AS bytes) heap
       WHERE c.relname = ANY($1::text[]) AND c.relkind = 'r' AND pg_table_is_visible(c.oid)`,
      [names],
    );
  }

  /**
   * One statement for all relations: count(*) where asked (small relations only), otherwise an
   * EXISTS that stops at the first row.
   */
  async probe(requests: ProbeRequest[]): Promise<Map<string, Probe>> {
    if (requests.length === 0) return new Map();
    const branches = requests.map(({ name, count, timeColumn }, i) => {
      const table = quoteIdent(name);
      const range = timeColumn ? `min(${quoteIdent(timeColumn)}), max(${quoteIdent(timeColumn)})` : 'NULL::timestamptz, NULL::timestamptz';
      return count
        ? `SELECT $${i + 1}::text, count(*)::float8, count(*) > 0, ${range} FROM ${table}`
        : `SELECT $${i + 1}::text, NULL::float8, EXISTS (SELECT 1 FROM ${table}), NULL::timestamptz, NULL::timestamptz`;
    });
    const rows = await this.sql.query<{ name: string; rows: number | null; nonEmpty: boolean; oldest: Date | null; newest: Date | null }>(
      `SELECT * FROM (${branches.join(' UNION ALL ')}) AS probe(name, rows, "nonEmpty", oldest, newest)`,
      requests.map((r) => r.name),
    );
    return new Map(rows.map((row) => [row.name, row]));
  }

  /** The planner's row estimates, planned in one EXPLAIN (no row is read). */
  async plannerRows(names: string[]): Promise<Map<string, number>> {
    if (names.length === 0) return new Map();
    const statement = names.map((name) => `SELECT 1 FROM ${quoteIdent(name)}`).join(' UNION ALL ');
    const [row] = await this.sql.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) ${statement}`);
    return planRowsByRelation(Object.values(row)[0]);
  }
}
