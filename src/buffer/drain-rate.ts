/** Rows committed per millisecond over the last completed window of at least WINDOW_MS. */
const WINDOW_MS = 1_000;
/** A rate measured longer ago than this says little about the database now. */
const STALE_MS = 60_000;
/** Never tell a sender to stay away longer than this on an estimate: a slow moment after a restart must not park agents for long. */
const MOST_WAIT_MS = 5_000;

/**
 * How fast the buffer empties while it is never empty, so an `overloaded` answer can say when room
 * is likely: senders told all to come back after one flush age return together, are refused
 * together, and every refused frame has been read for nothing; told roughly when the held rows
 * will be written, spread over half that again, they return as room appears. A window in which the
 * buffer ran empty measured the senders, not the database, and is discarded.
 */
export class DrainRate {
  private windowStart = performance.now();
  private rowsInWindow = 0;
  private rowsPerMs?: number;
  private measuredAt = 0;

  /** `stillHeld`: whether anything is held after this commit. */
  committed(rows: number, stillHeld: boolean, now = performance.now()): void {
    if (!stillHeld) {
      this.windowStart = now;
      this.rowsInWindow = 0;
      return;
    }
    this.rowsInWindow += rows;
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    this.rowsPerMs = this.rowsInWindow / elapsed;
    this.measuredAt = now;
    this.windowStart = now;
    this.rowsInWindow = 0;
  }

  /** Milliseconds until `heldRows` are written at the measured rate, jittered up to +50 %; undefined without a recent measure. */
  waitFor(heldRows: number, random = Math.random(), now = performance.now()): number | undefined {
    if (!this.rowsPerMs || now - this.measuredAt > STALE_MS) return undefined;
    return Math.min(MOST_WAIT_MS, Math.round((heldRows / this.rowsPerMs) * (1 + random / 2)));
  }
}
