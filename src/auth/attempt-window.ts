/** Attempts per key within a sliding window, at most `limit` each; the answer may be a promise (Redis). */
export interface AttemptWindow {
  /** Records an attempt at `now` and answers 0, or answers how many ms until `key` has room again (nothing recorded). */
  take(key: string, now: number): number | Promise<number>;
  /** Takes back the attempt recorded at `at` (it turned out not to count). */
  giveBack(key: string, at: number): void | Promise<void>;
}
