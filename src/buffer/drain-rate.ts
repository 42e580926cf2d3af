/** Rows committed per millisecond over the last completed window of at least WINDOW_MS. */
const WINDOW_MS = 1_000;
/** Never tell a sender to stay away longer than this on an estimate. */
const MOST_WAIT_MS = 30_000;

/**
 * How fast the buffer empties, so an `overloaded` answer can say when room is likely: senders told
 * all to come back after one flush age return together, are refused together, and every refused
 * frame has been read and parsed for nothing; told roughly when the held rows will be written, and
 * spread over half that again, they return as room appears.
 */
export class DrainRate {
  private windowStart = performance.now();
  private rowsInWindow = 0;
  private rowsPerMs?: number;

  committed(rows: number, now = performance.now()): void {
    this.rowsInWindow += rows;
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    this.rowsPerMs = this.rowsInWindow / elapsed;
    this.windowStart = now;
    this.rowsInWindow = 0;
  }

  /** Milliseconds until `heldRows` are written at the measured rate, jittered up to +50 %; undefined before a window completes. */
  waitFor(heldRows: number, random = Math.random()): number | undefined {
    if (!this.rowsPerMs) return undefined;
    return Math.min(MOST_WAIT_MS, Math.round((heldRows / this.rowsPerMs) * (1 + random / 2)));
  }
}
