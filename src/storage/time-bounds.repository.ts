import { Injectable } from '@nestjs/common';
import { quoteIdent } from '../database/partition-manager.js';
import { SqlClient } from '../database/sql-client.js';

/** A partitioned table's partition key and the first two columns of its primary key. */
interface KeyColumns {
  table: string;
  key: string;
  lead: string | null;
  second: string | null;
}

export interface BoundRequest {
  table: string;
  partition: string;
  edge: 'oldest' | 'newest';
}

/**
 * The oldest or newest timestamp in given partitions, found through the primary key's index. No
 * time-series index leads with ts (they lead with the container or host), so min(ts) would read
 * the whole partition; instead a loose index scan walks the distinct leading ids and takes the
 * first or last ts of each: two index probes per container or host, whatever the row count.
 */
@Injectable()
export class TimeBoundsRepository {
  private keys = new Map<string, KeyColumns>();

  constructor(private readonly sql: SqlClient) {}

  /** table → {oldest, newest} over the requested partitions (the caller picks the edge partitions). */
  async bounds(requests: BoundRequest[]): Promise<Map<string, { oldest: Date | null; newest: Date | null }>> {
    const result = new Map<string, { oldest: Date | null; newest: Date | null }>();
    if (requests.length === 0) return result;
    const keys = await this.keyColumns(requests.map((r) => r.table));
    const branches = requests.flatMap((r, i) => (keys.has(r.table) ? [`SELECT ${i}, (${this.edgeQuery(keys.get(r.table)!, r)})`] : []));
    if (branches.length === 0) return result;
    const rows = await this.sql.query<{ i: number; ts: Date | null }>(`SELECT * FROM (${branches.join(' UNION ALL ')}) AS b(i, ts)`);
    for (const { i, ts } of rows) {
      const { table, edge } = requests[i];
      const entry = result.get(table) ?? { oldest: null, newest: null };
      const current = entry[edge];
      if (ts && (!current || (edge === 'oldest' ? ts < current : ts > current))) entry[edge] = ts;
      result.set(table, entry);
    }
    return result;
  }

  private edgeQuery({ key, lead, second }: KeyColumns, { partition, edge }: BoundRequest): string {
    const [p, k, dir, agg] = [quoteIdent(partition), quoteIdent(key), edge === 'oldest' ? 'ASC' : 'DESC', edge === 'oldest' ? 'min' : 'max'];
    if (lead === key) return `SELECT ${k} FROM ${p} ORDER BY ${k} ${dir} LIMIT 1`;
    // Unknown index layout: read this one partition (never the whole table).
    if (!lead || second !== key) return `SELECT ${agg}(${k}) FROM ${p}`;
    const l = quoteIdent(lead);
    return `WITH RECURSIVE ids(id) AS (
        (SELECT ${l} FROM ${p} ORDER BY ${l} LIMIT 1)
        UNION ALL
        SELECT (SELECT ${l} FROM ${p} WHERE ${l} > ids.id ORDER BY ${l} LIMIT 1) FROM ids WHERE ids.id IS NOT NULL
      )
      SELECT ${agg}(x.ts) FROM ids CROSS JOIN LATERAL (SELECT ${k} AS ts FROM ${p} WHERE ${l} = ids.id ORDER BY ${k} ${dir} LIMIT 1) x`;
  }

  /** Cached: the schema only changes when a migration adds a table, and then this reads it again. */
  private async keyColumns(tables: string[]): Promise<Map<string, KeyColumns>> {
    if (tables.every((t) => this.keys.has(t))) return this.keys;
    const rows = await this.sql.query<KeyColumns>(
      `SELECT p.relname AS "table", k.attname AS "key", a1.attname AS "lead", a2.attname AS "second"
       FROM pg_partitioned_table pt JOIN pg_class p ON p.oid = pt.partrelid
       JOIN pg_attribute k ON k.attrelid = p.oid AND k.attnum = pt.partattrs[0]
       LEFT JOIN pg_index i ON i.indrelid = p.oid AND i.indisprimary
       LEFT JOIN pg_attribute a1 ON a1.attrelid = p.oid AND a1.attnum = i.indkey[0]
       LEFT JOIN pg_attribute a2 ON a2.attrelid = p.oid AND a2.attnum = i.indkey[1]
       WHERE pg_table_is_visible(p.oid)`,
    );
    this.keys = new Map(rows.map((row) => [row.table, row]));
    return this.keys;
  }
}
