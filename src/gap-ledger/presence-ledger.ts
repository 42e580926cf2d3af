import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../common/intervals.js';
import { floorHour, MINUTE_MS } from './minutes.js';
import { PendingBatch } from './pending-batch.js';
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
  private readonly batch: PendingBatch<HourPresence>;

  constructor(
    repository: PresenceLedgerRepository,
    private readonly schedules: SchedulerRegistry,
  ) {
    this.batch = new PendingBatch<HourPresence>({
      what: 'host-hour(s) of data presence',
      max: MAX_ENTRIES,
      keyOf: (entry) => `${entry.hostId}|${entry.kind}|${entry.hour}`,
      merge: (into, from) => void (into.minutes |= from.minutes),
      write: (entries) => repository.add(entries),
      logger: this.logger,
    });
  }

  onModuleInit(): void {
    startInterval(this.schedules, FLUSH, FLUSH_MS, () => void this.batch.tick());
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
      const entry = last && last.hour === hour ? last : this.batch.entry(`${hostId}|${kind}|${hour}`, () => ({ hostId, kind, hour, minutes: 0n }));
      if (!entry) continue;
      entry.minutes |= 1n << BigInt(Math.floor((ms - hour) / MINUTE_MS));
      last = entry;
    }
    // Half full: written now rather than at the next tick.
    if (this.batch.size >= MAX_ENTRIES / 2) void this.batch.tick();
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}
