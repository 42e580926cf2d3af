import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../common/intervals.js';
import type { Environment } from '../config/environment.js';
import { isDataError, isStatementTimeout } from '../database/sql-errors.js';
import { ROLLUP_TIERS, type RollupTier } from '../time-series/rollup-tier.js';
import { DirtyPeriods, dayKey, hourKey, minuteKey, type OpenPeriodHold, type PeriodPairs } from './dirty-periods.js';
import { ROLLUP_KINDS, type RollupKind } from './rollup-specs.js';
import { ROLLUPS_DAILY_RETENTION, ROLLUPS_HOURLY_RETENTION, ROLLUPS_RETENTION } from './rollup-tables.js';
import { RollupsRepository } from './rollups.repository.js';

const TICK_MS = 1_000;
const WORKER = 'rollups';
/** A pass this long means a loaded machine: the next one waits HEAVY_PASS_REST_MS at least (tick). */
const HEAVY_PASS_MS = 200;
const HEAVY_PASS_REST_MS = 3_000;
/** Pairs per statement: bounds the statement's parameters and run time. */
const CHUNK_PAIRS = 2_000;
/** At start-up, minutes with samples this recent are recomputed: covers a crash between a flush and its rollup. */
const RECOVERY_WINDOW_MS = 10 * 60_000;
/**
 * How often the coarser tiers are folded on their own: an hour's row gathers the changes of many
 * minute passes into one rewrite. settle() folds them at once whatever the time.
 */
const FOLD_EVERY_MS: Readonly<Record<RollupTier, number>> = { minute: 0, hour: 5_000, day: 30_000 };
const KEY_OF: Readonly<Record<RollupTier, (period: string) => string>> = { minute: (period) => period, hour: hourKey, day: dayKey };

/**
 * The minute a series is still filling waits (its rows recomputed once it is complete, or at most
 * 20 s late) instead of being reread by every pass; readers settle() it first, so on this
 * instance they never see the difference.
 */
const OPEN_MINUTE_HOLD: OpenPeriodHold = { quietMs: 10_000, maxMs: 20_000 };

const perKind = (hold?: OpenPeriodHold) => ({ container: new DirtyPeriods(hold), host: new DirtyPeriods(hold) });

/**
 * Keeps the rollup tiers current. The bulk writers report every committed row's (series, minute);
 * a worker recomputes exactly those minutes from raw samples about once a second, never two passes
 * at once. Minutes whose rows changed mark their hour, which is refolded from its minutes every few
 * seconds, and hours that changed mark their day likewise. A failed pass keeps its pairs for the
 * next one, so a database outage delays rollups but loses nothing. A statement refused for its data
 * is split until the periods that cannot be rolled up are found: those are reported and dropped,
 * and every other one (of every tenant) is rolled up as usual. Readers call settle() first, so an
 * acknowledged sample is in every tier they read.
 */
@Injectable()
export class RollupService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(RollupService.name);
  private readonly dirty: Record<RollupTier, Record<RollupKind, DirtyPeriods>> = { minute: perKind(OPEN_MINUTE_HOLD), hour: perKind(), day: perKind() };
  /** performance.now() of each tier's last pass; the coarser tiers' first comes a FOLD_EVERY_MS after start. */
  private readonly lastFolded: Record<RollupTier, number> = { minute: 0, hour: performance.now(), day: performance.now() };
  private running?: Promise<void>;
  private failing = false;
  private dropped = 0;
  /** performance.now() when the last pass ended, and how long it took. */
  private lastEnded = 0;
  private lastTookMs = 0;
  /** How far back each tier is recomputed: its own retention, and no further than the tier it is folded from still reaches. */
  private readonly reachMs: Record<RollupTier, number>;

  constructor(
    private readonly repository: RollupsRepository,
    config: ConfigService<Environment, true>,
    private readonly schedules: SchedulerRegistry,
  ) {
    const retention = config.getOrThrow('retention', { infer: true });
    const minute = retention[ROLLUPS_RETENTION.name].ms;
    const hour = Math.min(retention[ROLLUPS_HOURLY_RETENTION.name].ms, minute);
    this.reachMs = { minute, hour, day: Math.min(retention[ROLLUPS_DAILY_RETENTION.name].ms, hour) };
  }

  async onModuleInit(): Promise<void> {
    const since = new Date(Date.now() - RECOVERY_WINDOW_MS);
    for (const kind of ROLLUP_KINDS) {
      try {
        const recent = await this.repository.recentMinutes(kind, since);
        // Their minutes may already be current (nothing would change), so their hours and days are marked too.
        for (const tier of ROLLUP_TIERS) this.dirty[tier][kind].restore(recent, KEY_OF[tier]);
      } catch (error) {
        this.logger.warn(`Finding recent ${kind} minutes to roll up failed: ${(error as Error).message}`);
      }
    }
    startInterval(this.schedules, WORKER, TICK_MS, () => this.tick());
  }

  /** Records the minutes of rows just committed to the raw table of `kind`. */
  touched<Row extends { ts: string }>(kind: RollupKind, rows: readonly Row[], keyOf: (row: Row) => string): void {
    const dirty = this.dirty.minute[kind];
    const now = performance.now();
    for (const row of rows) dirty.add(keyOf(row), minuteKey(row.ts), now);
  }

  /** Dirty (series, period) pairs of every tier. */
  get pending(): number {
    return this.pendingThrough('day');
  }

  /** Periods dropped since start because their samples could not be rolled up. */
  get failedMinutes(): number {
    return this.dropped;
  }

  /**
   * Resolves once every period marked before the call has been recomputed (or has failed, and stays
   * dirty) in `through` and the finer tiers: a read of the minute tier does not wait for hours and days.
   */
  async settle(through: RollupTier = 'day'): Promise<void> {
    // A pass already running may have taken its pairs before the caller's rows were marked.
    while (this.running) await this.running;
    if (this.pendingThrough(through) > 0) await this.run(through);
  }

  private pendingThrough(through: RollupTier): number {
    const tiers = ROLLUP_TIERS.slice(0, ROLLUP_TIERS.indexOf(through) + 1);
    return tiers.reduce((sum, tier) => sum + this.dirty[tier].container.size + this.dirty[tier].host.size, 0);
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
   * recomputed from raw costs its row count) the worker holds a connection at most half the time;
   * and after a heavy pass at least HEAVY_PASS_REST_MS (with several instances each worker's passes
   * were shorter, so minutes were reread more often: bench:cluster). Minutes still filling wait
   * (OPEN_MINUTE_HOLD). Readers settle() first, so how often the worker runs never shows in what they read.
   */
  private tick(): void {
    const rest = Math.max(this.lastTookMs, this.lastTookMs >= HEAVY_PASS_MS ? HEAVY_PASS_REST_MS : 0);
    if (this.running || this.pending === 0 || performance.now() - this.lastEnded < rest) return;
    void this.run();
  }

  /** `forcedThrough`: tiers recomputed now whenever they were last (settle); the others wait their FOLD_EVERY_MS. */
  private run(forcedThrough?: RollupTier): Promise<void> {
    const started = performance.now();
    const run = this.recomputeDirty(forcedThrough === undefined ? -1 : ROLLUP_TIERS.indexOf(forcedThrough)).finally(() => {
      this.running = undefined;
      this.lastEnded = performance.now();
      this.lastTookMs = this.lastEnded - started;
    });
    this.running = run;
    return run;
  }

  /** Never rejects: failures are logged and their pairs put back. Tiers in order, so each folds what the finer one just wrote. */
  private async recomputeDirty(forcedThrough: number): Promise<void> {
    for (const [index, tier] of ROLLUP_TIERS.entries()) {
      if (index > forcedThrough && performance.now() - this.lastFolded[tier] < FOLD_EVERY_MS[tier]) continue;
      this.lastFolded[tier] = performance.now();
      if (!(await this.recomputeTier(tier, index <= forcedThrough))) return;
    }
    if (this.failing) this.logger.log('Rolling up metrics succeeds again');
    this.failing = false;
  }

  /** False when the database failed (the pairs are kept). `forced`: open periods are not held back. */
  private async recomputeTier(tier: RollupTier, forced: boolean): Promise<boolean> {
    // Periods past the tier's reach have no partition left to write to, or (folded tiers) have lost
    // some of the finer rows they are folded from: dropped, or they would fail or be wrong on every pass.
    const oldest = KEY_OF[tier](minuteKey(new Date(Date.now() - this.reachMs[tier]).toISOString()));
    const now = forced ? undefined : performance.now();
    for (const kind of ROLLUP_KINDS) {
      const dirty = this.dirty[tier][kind];
      // Only what is dirty now: pairs marked meanwhile wait for the next pass, so a busy stream cannot make this one endless.
      for (let budget = dirty.size; budget > 0 && dirty.size > 0; ) {
        const before = dirty.size;
        const pairs = dirty.take(Math.min(budget, CHUNK_PAIRS), oldest, now);
        const removed = before - dirty.size;
        if (removed === 0) break; // only held periods are left
        budget -= removed;
        if (pairs.keys.length === 0) continue;
        try {
          await this.recomputeIsolating(tier, kind, pairs);
        } catch (error) {
          dirty.restore(pairs);
          if (!this.failing) {
            this.logger.warn(`Rolling up ${kind} metrics (${tier}s) failed; ${dirty.size} period(s) kept for retry: ${(error as Error).message}`);
          }
          this.failing = true;
          return false;
        }
      }
    }
    return true;
  }

  /** Rethrows only errors that are not about the data (the database is unreachable): then every pair is retried later. A timeout splits the pairs. */
  private async recomputeIsolating(tier: RollupTier, kind: RollupKind, pairs: PeriodPairs): Promise<void> {
    try {
      const changed = await this.repository.recompute(tier, kind, pairs);
      const coarser = ROLLUP_TIERS[ROLLUP_TIERS.indexOf(tier) + 1];
      if (coarser) this.dirty[coarser][kind].restore(changed, KEY_OF[coarser]);
    } catch (error) {
      const count = pairs.keys.length;
      // A statement past its timeout is split too (periods of very dense series can add up to millions of rows); a single period that still times out is retried later.
      const timedOut = isStatementTimeout(error) && count > 1;
      if (!isDataError(error) && !timedOut) throw error;
      if (count === 1) return this.drop(tier, kind, pairs, error as Error);
      const half = Math.ceil(count / 2);
      await this.recomputeIsolating(tier, kind, { keys: pairs.keys.slice(0, half), periods: pairs.periods.slice(0, half) });
      await this.recomputeIsolating(tier, kind, { keys: pairs.keys.slice(half), periods: pairs.periods.slice(half) });
    }
  }

  private drop(tier: RollupTier, kind: RollupKind, pairs: PeriodPairs, error: Error): void {
    this.dropped++;
    this.logger.error(`The ${kind} ${tier} ${pairs.periods[0]} of ${pairs.keys[0]} cannot be rolled up and is skipped: ${error.message}`);
  }
}
