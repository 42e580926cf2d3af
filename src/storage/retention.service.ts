import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ALERTS_RETENTION } from '../alerts/alerts-retention.js';
import { COMMANDS_RETENTION } from '../commands/commands-retention.js';
import type { Environment } from '../config/environment.js';
import { PartitionManager, type PartitionInfo } from '../database/partition-manager.js';
import { GapLedgerRetention } from '../gap-ledger/gap-ledger.retention.js';
import { RetentionRepository } from './retention.repository.js';
import { catalogEstimate, plannerEstimate } from './row-estimates.js';
import { StorageCatalogRepository } from './storage-catalog.repository.js';

/** Spent or expired enrollment tokens stay a day, so a late enroll attempt still hears "expired" or "used". */
const ENROLLMENT_TOKEN_GRACE_MS = 86_400_000;

export interface DroppedPartition {
  table: string;
  partition: string;
  /** Upper bound of the partition: every row it held was older. */
  to: string;
  bytes: number;
  rowsEstimate: number;
}

export interface RetentionReport {
  startedAt: string;
  durationMs: number;
  droppedPartitions: DroppedPartition[];
  partitionsCreated: string[];
  enrollmentTokensDeleted: number;
  commandsDeleted: number;
  alertsDeleted: number;
  /** Gap ledger rows (agent connections, refusal counts) older than RETENTION_ROLLUPS. */
  gapLedgerRowsDeleted: number;
  /** Steps that failed (e.g. a DROP that timed out waiting for a lock); the next run retries them. */
  failures: Array<{ step: string; message: string }>;
}

/**
 * The retention job: drops whole daily partitions past their table's retention (never a DELETE on
 * a time-series table), creates the partitions ahead, and prunes enrollment tokens and finished
 * commands. It holds the partition DDL advisory lock throughout, so runs on several instances, or
 * a run and the hourly partition creation, follow each other: a second run waits for the first
 * and then finds nothing left to drop, rather than failing.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);
  private readonly running = new Set<Promise<unknown>>();
  lastFinishedAt?: Date;
  droppedPartitionsTotal = 0;

  constructor(
    private readonly partitions: PartitionManager,
    private readonly catalog: StorageCatalogRepository,
    private readonly repository: RetentionRepository,
    private readonly config: ConfigService<Environment, true>,
    private readonly gapLedger: GapLedgerRetention,
  ) {}

  /** Runs the job now, after any run already holding the lock (here or on another instance). */
  run(): Promise<RetentionReport> {
    const run = this.partitions.withPartitionLock(() => this.runLocked(new Date()));
    this.running.add(run);
    void run.finally(() => this.running.delete(run)).catch(() => undefined);
    return run;
  }

  /** For the schedule: never throws, so a failing database cannot take the process down. */
  async runLogged(): Promise<void> {
    await this.run().catch((error: Error) => this.logger.error(`Retention run failed: ${error.message}`));
  }

  /** Resolves once no run is in progress (shutdown waits for it before the database closes). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async runLocked(startedAt: Date): Promise<RetentionReport> {
    const started = performance.now();
    const failures: RetentionReport['failures'] = [];
    const step = async <T>(name: string, fallback: T, fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (error) {
        const message = (error as Error).message;
        this.logger.warn(`Retention: ${name} failed: ${message}`);
        failures.push({ step: name, message });
        return fallback;
      }
    };

    const expired = await this.partitions.expiredPartitions(startedAt);
    const estimates = await step('estimate rows', new Map<string, number>(), () => this.rowEstimates(expired));
    const droppedPartitions: DroppedPartition[] = [];
    for (const p of expired) {
      const dropped = await step(`drop ${p.partition}`, false, async () => (await this.partitions.dropPartition(p.partition), true));
      if (dropped) {
        droppedPartitions.push({ table: p.table, partition: p.partition, to: p.to!.toISOString(), bytes: p.bytes, rowsEstimate: estimates.get(p.partition) ?? 0 });
      }
    }
    const partitionsCreated = await step('create partitions', [], () => this.partitions.createMissingPartitions(startedAt));
    const tokensBefore = new Date(startedAt.getTime() - ENROLLMENT_TOKEN_GRACE_MS);
    const enrollmentTokensDeleted = await step('prune enrollment tokens', 0, () => this.repository.deleteStaleEnrollmentTokens(tokensBefore));
    const commandsBefore = new Date(startedAt.getTime() - this.config.getOrThrow('retention', { infer: true })[COMMANDS_RETENTION.name].ms);
    const commandsDeleted = await step('prune commands', 0, () => this.repository.deleteFinishedCommands(commandsBefore));
    const alertsBefore = new Date(startedAt.getTime() - this.config.getOrThrow('retention', { infer: true })[ALERTS_RETENTION.name].ms);
    const alertsDeleted = await step('prune alerts', 0, () => this.repository.deleteResolvedAlerts(alertsBefore));
    const gapLedgerRowsDeleted = await step('prune gap ledger', 0, () => this.gapLedger.prune(startedAt));

    const report = {
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      droppedPartitions,
      partitionsCreated,
      enrollmentTokensDeleted,
      commandsDeleted,
      alertsDeleted,
      gapLedgerRowsDeleted,
      failures,
    };
    if (droppedPartitions.length || enrollmentTokensDeleted || commandsDeleted || alertsDeleted) {
      this.logger.log(
        `Retention dropped ${droppedPartitions.length} partition(s), ${enrollmentTokensDeleted} enrollment token(s), ${commandsDeleted} command(s), ${alertsDeleted} resolved alert(s) in ${report.durationMs} ms`,
      );
    }
    this.lastFinishedAt = new Date();
    this.droppedPartitionsTotal += droppedPartitions.length;
    return report;
  }

  /** From the catalog and the planner only: counting a partition of millions of rows would take seconds. */
  private async rowEstimates(partitions: PartitionInfo[]): Promise<Map<string, number>> {
    const estimates = new Map<string, number>();
    const unplanned = partitions.filter((p) => {
      const estimate = catalogEstimate(p);
      if (estimate !== undefined) estimates.set(p.partition, estimate);
      return estimate === undefined;
    });
    const planned = await this.catalog.plannerRows(unplanned.map((p) => p.partition));
    for (const p of unplanned) estimates.set(p.partition, plannerEstimate(planned.get(p.partition) ?? 0, p));
    return estimates;
  }
}
