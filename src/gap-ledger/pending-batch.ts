import type { Logger } from '@nestjs/common';

export interface PendingBatchOptions<T> {
  /** What an entry is, for the warnings: `refusal count(s)`. */
  what: string;
  /** Entries kept between writes; past it new ones are counted as lost, not kept. */
  max: number;
  keyOf: (entry: T) => string;
  /** Adds `from` into `into` (same key). */
  merge: (into: T, from: T) => void;
  write: (entries: T[]) => Promise<void>;
  logger: Logger;
}

/**
 * The gap ledgers' write-behind: entries merged by key in memory, bounded, written one batch at a
 * time; a failed batch is merged back for the next write, so a database outage delays the ledger
 * but loses nothing within the bound.
 */
export class PendingBatch<T> {
  private pending = new Map<string, T>();
  private writing?: Promise<void>;
  private lost = 0;

  constructor(private readonly options: PendingBatchOptions<T>) {}

  get size(): number {
    return this.pending.size;
  }

  /** The entry of `key`, created by `create` when new; undefined (counted as lost) once the bound is reached. */
  entry(key: string, create: () => T): T | undefined {
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= this.options.max) {
        this.lost++;
        return undefined;
      }
      this.pending.set(key, (entry = create()));
    }
    return entry;
  }

  /** Writes unless a write is already running (the timer's step). */
  async tick(): Promise<void> {
    if (!this.writing && this.pending.size) await this.write();
  }

  /** Writes everything pending now, after any write in progress. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.size) await this.write();
  }

  private write(): Promise<void> {
    const { what, max, keyOf, merge, write, logger } = this.options;
    const entries = [...this.pending.values()];
    this.pending = new Map();
    if (this.lost) {
      logger.warn(`${this.lost} ${what} were not recorded for the gaps: more than ${max} waited for the database`);
      this.lost = 0;
    }
    this.writing = write(entries)
      .catch((error: Error) => {
        logger.warn(`Recording ${entries.length} ${what} failed; kept for retry: ${error.message}`);
        for (const entry of entries) {
          const kept = this.entry(keyOf(entry), () => entry);
          if (kept && kept !== entry) merge(kept, entry);
        }
      })
      .finally(() => (this.writing = undefined));
    return this.writing;
  }
}
