import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../common/intervals.js';
import type { Environment } from '../config/environment.js';
import { ROLLUPS_RETENTION } from './rollup-tables.js';
import { isDataError } from '../database/sql-errors.js';
import { DirtyMinutes, minuteKey, type MinutePairs } from './dirty-minutes.js';
import { ROLLUP_KINDS, type RollupKind } from './rollup-specs.js';
import { RollupsRepository } from './rollups.repository.js';

const TICK_MS = 1_000;
const WORKER = 'rollups';
/** Pairs per statement: bounds the statement's parameters and run time. */
const CHUNK_PAIRS = 2_000;
/** At start-up, minutes with samples this recent are recomputed: covers a crash between a flush and its rollup. */
const RECOVERY_WINDOW_MS = 10 * 60_000;

/**
 * Keeps the per-minute rollups current. The bulk writers report every committed row's (series,
 * minute); a worker recomputes exactly those minutes from raw samples about once a second, never
 * two passes at once. A failed pass keeps its pairs for the next one, so a database outage delays
 * rollups but loses nothing. A statement refused for its data is split until the minutes that
 * cannot be rolled up are found: those are reported and dropped, and every other minute (of every
 * tenant) is rolled up as usual. Readers call settle() first, so an acknowledged sample is in the
 * rollups they read.
 */
@Injectable()
export class RollupService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(RollupService.name);
  private readonly dirty: Record<RollupKind, DirtyMinutes> = { container: new DirtyMinutes(), host: new DirtyMinutes() };
  private running?: Promise<void>;
  private failing = false;
  private dropped = 0;
  /** performance.now() when the last pass ended, and how long it took. */
  private lastEnded = 0;
  private lastTookMs = 0;
  private readonly retentionMs: number;

  constructor(
    private readonly repository: RollupsRepository,
    config: ConfigService<Environment, true>,
    private readonly schedules: SchedulerRegistry,
  ) {
    this.retentionMs = config.getOrThrow('retention', { infer: true })[ROLLUPS_RETENTION.name].ms;
  }

  async onModuleInit(): Promise<void> {
    const since = new Date(Date.now() - RECOVERY_WINDOW_MS);
    for (const kind of ROLLUP_KINDS) {
      try {
        this.dirty[kind].restore(await this.repository.recentMinutes(kind, since));
      } catch (error) {
        this.logger.warn(`Finding recent ${kind} minutes to roll up failed: ${(error as Error).message}`);
      }
    }
    startInterval(this.schedules, WORKER, TICK_MS, () => this.tick());
  }

  /** Records the minutes of rows just committed to the raw table of `kind`. */
  touched<Row extends { ts: string }>(kind: RollupKind, rows: readonly Row[], keyOf: (row: Row) => string): void {
    const dirty = this.dirty[kind];
    for (const row of rows) dirty.add(keyOf(row), minuteKey(row.ts));
  }

  get pending(): number {
    return this.dirty.container.size + this.dirty.host.size;
  }

  /** Minutes dropped since start because their samples could not be rolled up. */
  get failedMinutes(): number {
    return this.dropped;
  }

  /** Resolves once every minute marked before the call has been recomputed (or has failed, and stays dirty). */
  async settle(): Promise<void> {
    // A pass already running may have taken its pairs before the caller's rows were marked.
    while (this.running) await this.running;
    if (this.pending > 0) await this.run();
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, WORKER);
  }

  /** After the agent gateway has drained the buffer (beforeApplicationShutdown), before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.settle();
  }

  /**
   * The timer rests at least as long as the last pass took, so however dense the samples (a minute
   * recomputed from raw costs its row count) the worker holds a connection at most half the time.
   */
  private tick(): void {
    if (this.running || this.pending === 0 || performance.now() - this.lastEnded < this.lastTookMs) return;
    void this.run();
  }

  private run(): Promise<void> {
    const started = performance.now();
    const run = this.recomputeDirty().finally(() => {
      this.running = undefined;
      this.lastEnded = performance.now();
      this.lastTookMs = this.lastEnded - started;
    });
    this.running = run;
    return run;
  }

  /** Never rejects: failures are logged and their pairs put back. */
  private async recomputeDirty(): Promise<void> {
    // Minutes past the rollup retention have no partition left to write to (RETENTION_ROLLUPS may be
    // shorter than RETENTION_METRICS): dropped, or they would fail their chunk on every pass.
    const oldest = minuteKey(new Date(Date.now() - this.retentionMs).toISOString());
    for (const kind of ROLLUP_KINDS) {
      const dirty = this.dirty[kind];
      // Only what is dirty now: pairs marked meanwhile wait for the next pass, so a busy stream cannot make this one endless.
      for (let budget = dirty.size; budget > 0 && dirty.size > 0; ) {
        const before = dirty.size;
        const pairs = dirty.take(Math.min(budget, CHUNK_PAIRS), oldest);
        budget -= before - dirty.size;
        if (pairs.keys.length === 0) continue;
        try {
          await this.recomputeIsolating(kind, pairs);
        } catch (error) {
          dirty.restore(pairs);
          if (!this.failing) {
            this.logger.warn(`Rolling up ${kind} metrics failed; ${dirty.size} minute(s) kept for retry: ${(error as Error).message}`);
          }
          this.failing = true;
          return;
        }
      }
    }
    if (this.failing) this.logger.log('Rolling up metrics succeeds again');
    this.failing = false;
  }

  /** Rethrows only errors that are not about the data (the database is unreachable): then every pair is retried later. */
  private async recomputeIsolating(kind: RollupKind, pairs: MinutePairs): Promise<void> {
    try {
      await this.repository.recompute(kind, pairs);
    } catch (error) {
      if (!isDataError(error)) throw error;
      const count = pairs.keys.length;
      if (count === 1) return this.drop(kind, pairs, error as Error);
      const half = Math.ceil(count / 2);
      await this.recomputeIsolating(kind, { keys: pairs.keys.slice(0, half), minutes: pairs.minutes.slice(0, half) });
      await this.recomputeIsolating(kind, { keys: pairs.keys.slice(half), minutes: pairs.minutes.slice(half) });
    }
  }

  private drop(kind: RollupKind, pairs: MinutePairs, error: Error): void {
    this.dropped++;
    this.logger.error(`The ${kind} minute ${pairs.minutes[0]} of ${pairs.keys[0]} cannot be rolled up and is skipped: ${error.message}`);
  }
}
