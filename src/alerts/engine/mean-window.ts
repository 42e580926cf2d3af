/** The most samples a window keeps; past it the oldest go first (the mean is then over the newest). */
export const MAX_WINDOW_SAMPLES = 1024;

/**
 * The samples of one series inside the last `spanMs`, with a running sum, so adding a sample and
 * reading the mean are O(1) amortized and the memory is bounded by MAX_WINDOW_SAMPLES.
 */
export class MeanWindow {
  // A ring that starts small and doubles up to MAX_WINDOW_SAMPLES: most windows hold a few dozen samples.
  private ts = new Float64Array(8);
  private values = new Float64Array(8);
  private head = 0;
  private size = 0;
  private sum = 0;
  /** When the current unbroken run of samples began: a gap longer than the span restarts it. */
  private since = Number.NaN;

  constructor(readonly spanMs: number) {}

  get latestTs(): number {
    return this.size ? this.ts[(this.head + this.size - 1) % this.ts.length] : Number.NaN;
  }

  /** Adds a sample; one older than the latest is ignored (a resent frame, a clock step back). */
  add(ts: number, value: number): void {
    if (!Number.isFinite(value)) return;
    const latest = this.latestTs;
    if (this.size && ts <= latest) return;
    if (!this.size || ts - latest > this.spanMs) {
      this.clear();
      this.since = ts;
    }
    if (this.size === this.ts.length) {
      if (this.size === MAX_WINDOW_SAMPLES) this.dropOldest();
      else this.grow();
    }
    const at = (this.head + this.size) % this.ts.length;
    this.ts[at] = ts;
    this.values[at] = value;
    this.size++;
    this.sum += value;
    while (this.size && this.ts[this.head] <= ts - this.spanMs) this.dropOldest();
  }

  /** The mean of the window, or undefined until the run of samples covers the whole span. */
  meanIfCovered(): number | undefined {
    if (!this.size || this.latestTs - this.since < this.spanMs) return undefined;
    return this.sum / this.size;
  }

  mean(): number | undefined {
    return this.size ? this.sum / this.size : undefined;
  }

  private dropOldest(): void {
    this.sum -= this.values[this.head];
    this.head = (this.head + 1) % this.ts.length;
    this.size--;
  }

  private grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    const values = new Float64Array(this.ts.length * 2);
    for (let i = 0; i < this.size; i++) {
      ts[i] = this.ts[(this.head + i) % this.ts.length];
      values[i] = this.values[(this.head + i) % this.ts.length];
    }
    this.ts = ts;
    this.values = values;
    this.head = 0;
  }

  private clear(): void {
    this.head = 0;
    this.size = 0;
    this.sum = 0;
  }
}
