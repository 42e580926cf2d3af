import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Retention } from '../config/retention.js';
import { SqlClient } from './sql-client.js';
import { DAY_MS, TIME_SERIES_TABLES, type TimeSeriesTable } from './time-series-tables.js';

/** Days of partitions kept ready beyond today, so a late cron run never leaves writes homeless. */
export const DAYS_AHEAD = 2;
/** Serializes all partition DDL (creation here, dropping in the retention job) across instances. */
export const PARTITION_LOCK_KEY = 0x44500001;
/**
 * Dropping a partition takes an exclusive lock on its parent table: waiting behind a long query
 * would stall every insert queued behind the DROP, so give up quickly and retry on the next run.
 */
export const DROP_LOCK_TIMEOUT_MS = 1_000;
/**
 * A partition is dropped this long after its last row left the retention window: rows accepted
 * just inside the window may still sit in the ingest buffer, and an insert into a dropped day
 * would fail ("no partition found for row") and be retried. Queries clamp to the window anyway.
 */
export const DROP_GRACE_MS = 5 * 60_000;

/** Named by the day the partition starts: partitions of one table are aligned to its width, so the name is unique. */
export function partitionName(table: string, dayStart: Date): string {
  return `${table}_p${dayStart.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** One partition of a time-series table, with the catalog figures the storage endpoints need. */
export interface PartitionInfo {
  table: string;
  partition: string;
  /** Range bounds; null for a DEFAULT partition or an unbounded side. */
  from: Date | null;
  to: Date | null;
  /** Heap, indexes and TOAST. */
  bytes: number;
  heapBytes: number;
  heapPages: number;
  /** pg_class statistics: reltuples is -1 until the partition is first analyzed. */
  reltuples: number;
  relpages: number;
}

/**
 * Keeps partitions of each time-series table's width (a UTC day unless it declares wider), from
 * the oldest one still inside the table's retention to the one holding DAYS_AHEAD days ahead. Runs at start-up and hourly; dropping expired
 * partitions is the retention job's (storage/retention.service.ts), under the same lock.
 */
@Injectable()
export class PartitionManager implements OnModuleInit {
  private readonly logger = new Logger(PartitionManager.name);

  constructor(
    private readonly sql: SqlClient,
    private readonly retention: Retention,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensurePartitions();
  }

  @Cron(CronExpression.EVERY_HOUR)
  async ensurePartitionsHourly(): Promise<void> {
    await this.ensurePartitions().catch((error: Error) => this.logger.error(`Creating partitions failed: ${error.message}`));
  }

  /** Creates the missing partitions; returns the names created. */
  async ensurePartitions(now = new Date()): Promise<string[]> {
    return this.withPartitionLock(() => this.createMissingPartitions(now));
  }

  /** Runs fn holding the partition DDL lock. Not reentrant: fn must not call ensurePartitions. */
  withPartitionLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.sql.withAdvisoryLock(PARTITION_LOCK_KEY, fn);
  }

  /** ensurePartitions without taking the lock, for callers that already hold it. */
  async createMissingPartitions(now = new Date()): Promise<string[]> {
    const existing = new Set(
      (
        await this.sql.query<{ name: string }>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
           WHERE p.relname = ANY($1::text[])`,
          [TIME_SERIES_TABLES.map((t) => t.table)],
        )
      ).map((row) => row.name),
    );
    const statements: string[] = [];
    const created: string[] = [];
    for (const series of TIME_SERIES_TABLES) {
      const { table, partitionMs: width } = series;
      const first = Math.floor((now.getTime() - this.retentionMs(series)) / width) * width;
      const last = Math.floor((now.getTime() + DAYS_AHEAD * DAY_MS) / width) * width;
      for (let start = first; start <= last; start += width) {
        const name = partitionName(table, new Date(start));
        if (existing.has(name)) continue;
        const from = new Date(start).toISOString();
        const to = new Date(start + width).toISOString();
        statements.push(`CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${from}') TO ('${to}');`);
        created.push(name);
      }
    }
    if (statements.length) {
      await this.sql.transaction((tx) => tx.exec(statements.join('\n')), { timeoutMs: 60_000 });
      this.logger.log(`Created ${created.length} partition(s)`);
    }
    return created;
  }

  /**
   * Every partition of every time-series table, oldest first, from the catalog alone. The bounds
   * are cast back to timestamptz in the same session that printed them, so the session time zone
   * cannot shift them.
   */
  listPartitions(): Promise<PartitionInfo[]> {
    return this.sql.query<PartitionInfo>(
      `SELECT parent.relname AS "table", c.relname AS "partition",
              (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz AS "from",
              (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS "to",
              pg_total_relation_size(c.oid)::float8 AS bytes, heap.bytes AS "heapBytes",
              ceil(heap.bytes / current_setting('block_size')::float8) AS "heapPages",
              c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
       CROSS JOIN LATERAL (SELECT pg_relation_size(c.oid)::float8 AS bytes) heap
       WHERE parent.relname = ANY($1::text[]) AND pg_table_is_visible(parent.oid)
       ORDER BY 1, 3 NULLS FIRST, 2`,
      [TIME_SERIES_TABLES.map((t) => t.table)],
    );
  }

  /** Partitions holding only rows older than their table's retention: upper bound ≤ now − retention (− the grace). */
  async expiredPartitions(now = new Date()): Promise<PartitionInfo[]> {
    const cutoff = new Map(TIME_SERIES_TABLES.map((series) => [series.table, now.getTime() - this.retentionMs(series) - DROP_GRACE_MS]));
    return (await this.listPartitions()).filter((p) => p.to !== null && p.to.getTime() <= cutoff.get(p.table)!);
  }

  /** Drops one partition (a catalog operation: instant however many rows it holds). Caller holds the lock. */
  async dropPartition(partition: string): Promise<void> {
    await this.sql.transaction(
      async (tx) => {
        await tx.exec(`SET LOCAL lock_timeout = ${DROP_LOCK_TIMEOUT_MS}`);
        await tx.exec(`DROP TABLE IF EXISTS ${quoteIdent(partition)}`);
      },
      { timeoutMs: 10_000 },
    );
  }

  private retentionMs(series: TimeSeriesTable): number {
    return this.retention.ms(series.setting);
  }
}
