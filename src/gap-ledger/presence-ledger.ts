import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../common/intervals.js';
import { floorHour, MINUTE_MS } from './minutes.js';
import { PresenceLedgerRepository, type HourPresence } from './presence-ledger.repository.js';

const FLUSH_MS = 1_000;
/** Host × kind × hour entries between writes; reaching it writes at once, and past it (database down) bits are lost, with a warning. */
const MAX_ENTRIES = 50_000;
const FLUSH = 'gap-ledger-presence';

/**
 * Which minutes have data, per host, kind and hour, from committed rows: the gaps' fast index of
 * the rollups. Bits wait in memory (one entry per host, kind and hour) and are OR-ed into the
 * database in one statement a second; a failed write keeps them for the next.
 */
@Injectable()
export class PresenceLedger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PresenceLedger.name);
  private pending = new Map<string, HourPresence>();
  private writing?: Promise<void>;
  private lost = 0;

  constructor(
    private readonly repository: PresenceLedgerRepository,
    private readonly schedules: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    startInterval(this.schedules, FLUSH, FLUSH_MS, () => void this.tick());
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, FLUSH);
  }

  /** Marks the minutes of `stamps` (epoch ms) as having data of `kind`. */
  present(hostId: string, kind: string, stamps: Iterable<number>): void {
    let last: HourPresence | undefined;
    let lastMinute = NaN;
    for (const ms of stamps) {
      const minute = Math.floor(ms / MINUTE_MS);
      if (minute === lastMinute || !Number.isFinite(minute)) continue;
      lastMinute = minute;
      const hour = floorHour(ms);
      const entry = last && last.hour === hour ? last : this.entry(hostId, kind, hour);
      if (!entry) continue;
      entry.minutes |= 1n << BigInt(Math.floor((ms - hour) / MINUTE_MS));
      last = entry;
    }
    if (this.pending.size >= MAX_ENTRIES / 2 && !this.writing) void this.write();
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.size) await this.write();
  }

  private entry(hostId: string, kind: string, hour: number): HourPresence | undefined {
    const key = `${hostId}|${kind}|${hour}`;
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= MAX_ENTRIES) {
        this.lost++;
        return undefined;
      }
      entry = { hostId, kind, hour, minutes: 0n };
      this.pending.set(key, entry);
    }
    return entry;
  }

  private async tick(): Promise<void> {
    if (!this.writing && this.pending.size) await this.write();
  }

  private write(): Promise<void> {
    const entries = [...this.pending.values()];
    this.pending = new Map();
    if (this.lost) {
      this.logger.warn(`${this.lost} minute(s) with data were not recorded for the gaps: more than ${MAX_ENTRIES} host-hours waited for the database`);
      this.lost = 0;
    }
    this.writing = this.repository
      .add(entries)
      .catch((error: Error) => {
        this.logger.warn(`Recording ${entries.length} host-hour(s) of data presence failed; kept for retry: ${error.message}`);
        for (const entry of entries) {
          const kept = this.entry(entry.hostId, entry.kind, entry.hour);
          if (kept) kept.minutes |= entry.minutes;
        }
      })
      .finally(() => (this.writing = undefined));
    return this.writing;
  }
}
