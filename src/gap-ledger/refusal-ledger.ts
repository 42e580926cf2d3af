import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startInterval, stopInterval } from '../common/intervals.js';
import { parseTimestamp } from '../common/timestamp.js';
import { LedgerClock } from './ledger-clock.js';
import { floorMinute } from './minutes.js';
import { PendingBatch } from './pending-batch.js';
import { RefusalLedgerRepository, type RefusalCount } from './refusal-ledger.repository.js';

const FLUSH_MS = 2_000;
/** Host × kind × minute entries kept between writes; past it new ones are counted as lost, not kept. */
const MAX_ENTRIES = 20_000;
const FLUSH = 'gap-ledger-refusals';

/**
 * Counts the frames answered with an error, per host, frame type and minute (the minutes of the
 * frame's samples when they can be read, else the minute it arrived), and adds them to the
 * database in one statement every two seconds. Memory is bounded by MAX_ENTRIES.
 */
@Injectable()
export class RefusalLedger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RefusalLedger.name);
  private readonly batch: PendingBatch<RefusalCount>;

  constructor(
    repository: RefusalLedgerRepository,
    private readonly clock: LedgerClock,
    private readonly schedules: SchedulerRegistry,
  ) {
    this.batch = new PendingBatch<RefusalCount>({
      what: 'refusal count(s)',
      max: MAX_ENTRIES,
      keyOf: (entry) => `${entry.hostId}|${entry.kind}|${entry.minute}`,
      merge: (into, from) => {
        into.frames += from.frames;
        into.rows += from.rows;
        into.code = from.code;
      },
      write: (counts) => repository.add(counts),
      logger: this.logger,
    });
  }

  onModuleInit(): void {
    startInterval(this.schedules, FLUSH, FLUSH_MS, () => void this.batch.tick());
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, FLUSH);
  }

  /** A frame of `kind` (its type, or `unknown`) from the host was answered with error `code`. Never throws. */
  refused(hostId: string, kind: string, code: string, data?: unknown): void {
    try {
      const items = Array.isArray(data) ? data : [];
      const perMinute = minutesOf(items);
      if (!perMinute.size) perMinute.set(floorMinute(this.clock.now()), items.length);
      for (const [minute, rows] of perMinute) {
        const count = this.batch.entry(`${hostId}|${kind}|${minute}`, () => ({ hostId, kind, minute, frames: 0, rows: 0, code }));
        if (!count) continue;
        count.frames++;
        count.rows += rows;
        count.code = code;
      }
    } catch (error) {
      this.logger.warn(`Counting a refused frame failed: ${(error as Error).message}`);
    }
  }

  flush(): Promise<void> {
    return this.batch.flush();
  }
}

/**
 * Rows per minute of the items' `ts`, unreadable ones left out. Cheap on the large frames refused
 * under overload: a UTC ISO stamp's minute is read once per distinct `YYYY-MM-DDTHH:MM` prefix.
 */
function minutesOf(items: unknown[]): Map<number, number> {
  const perMinute = new Map<number, number>();
  const byPrefix = new Map<string, number | undefined>();
  for (const item of items) {
    const ts = typeof item === 'object' && item !== null ? (item as { ts?: unknown }).ts : undefined;
    let minute: number | undefined;
    if (typeof ts === 'string' && ts.endsWith('Z') && ts.length > 16) {
      const prefix = ts.slice(0, 16);
      if (!byPrefix.has(prefix)) byPrefix.set(prefix, parseMinute(ts));
      minute = byPrefix.get(prefix);
    } else {
      minute = parseMinute(ts);
    }
    if (minute !== undefined) perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  return perMinute;
}

function parseMinute(ts: unknown): number | undefined {
  const parsed = parseTimestamp(ts);
  return parsed && floorMinute(parsed.ms);
}
