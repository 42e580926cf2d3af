import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Environment } from '../config/environment.js';
import { parseDuration } from '../config/duration.js';
import { SqlClient } from './sql-client.js';
import { TIME_SERIES_TABLES } from './time-series-tables.js';

const DAY_MS = 86_400_000;
/** Days of partitions kept ready beyond today, so a late cron run never leaves writes homeless. */
export const DAYS_AHEAD = 2;
const PARTITION_LOCK_KEY = 0x44500001;

export function partitionName(table: string, dayStart: Date): string {
  return `${table}_p${dayStart.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * Keeps one partition per UTC day for every time-series table, from the oldest day still inside
 * the table's retention to DAYS_AHEAD days ahead. Runs at start-up and hourly; retention (dropping
 * old partitions) is a separate job.
 */
@Injectable()
export class PartitionManager implements OnModuleInit {
  private readonly logger = new Logger(PartitionManager.name);

  constructor(
    private readonly sql: SqlClient,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensurePartitions();
  }

  @Cron(CronExpression.EVERY_HOUR)
  async ensurePartitionsHourly(): Promise<void> {
    await this.ensurePartitions().catch((error: Error) => this.logger.error(`Creating partitions failed: ${error.message}`));
  }

  /** Creates the missing daily partitions; returns the names created. */
  async ensurePartitions(now = new Date()): Promise<string[]> {
    return this.sql.withAdvisoryLock(PARTITION_LOCK_KEY, async () => {
      const existing = new Set(
        (
          await this.sql.query<{ name: string }>(
            `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
             WHERE p.relname = ANY($1::text[])`,
            [TIME_SERIES_TABLES.map((t) => t.table)],
          )
        ).map((row) => row.name),
      );
      const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
      const statements: string[] = [];
      const created: string[] = [];
      for (const { table, retention } of TIME_SERIES_TABLES) {
        const retentionMs = parseDuration(this.config.getOrThrow(retention, { infer: true }))!;
        const firstDay = Math.floor((now.getTime() - retentionMs) / DAY_MS) * DAY_MS;
        for (let day = firstDay; day <= today + DAYS_AHEAD * DAY_MS; day += DAY_MS) {
          const name = partitionName(table, new Date(day));
          if (existing.has(name)) continue;
          const from = new Date(day).toISOString();
          const to = new Date(day + DAY_MS).toISOString();
          statements.push(`CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${from}') TO ('${to}');`);
          created.push(name);
        }
      }
      if (statements.length) {
        await this.sql.transaction((tx) => tx.exec(statements.join('\n')), { timeoutMs: 60_000 });
        this.logger.log(`Created ${created.length} partition(s)`);
      }
      return created;
    });
  }
}
