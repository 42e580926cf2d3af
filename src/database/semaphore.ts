/**
 * A counting semaphore that hands out its permits in arrival order. (Twenty lines: not worth a
 * dependency, and FIFO order is what makes it fair.)
 */
export class Semaphore {
  private available: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly permits: number) {
    this.available = permits;
  }

  /** Runs `work` once a permit is free, and frees it when `work` settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.available++;
    }
  }

  /** Permits held now. */
  get held(): number {
    return this.permits - this.available;
  }

  /** Callers waiting for a permit. */
  get queued(): number {
    return this.waiting.length;
  }
}
