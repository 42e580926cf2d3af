import type { AttemptWindow } from './attempt-window.js';

/**
 * Events per key within a sliding window, at most `limit` each. Memory stays bounded by the keys
 * seen within the window: a key is never given more than `limit` entries, and idle keys are swept.
 */
export class SlidingWindow implements AttemptWindow {
  private readonly events = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records an event at `now` and answers 0, or answers how many ms until `key` has room again. */
  take(key: string, now: number): number {
    this.sweep(now);
    const recent = (this.events.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.events.set(key, recent);
      return recent[0] + this.windowMs - now;
    }
    recent.push(now);
    this.events.set(key, recent);
    return 0;
  }

  /** Takes back the event recorded at `at` (it turned out not to count). */
  giveBack(key: string, at: number): void {
    const times = this.events.get(key);
    const index = times?.lastIndexOf(at) ?? -1;
    if (index >= 0) times!.splice(index, 1);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, times] of this.events) if (!times.length || times[times.length - 1] <= now - this.windowMs) this.events.delete(key);
  }
}
