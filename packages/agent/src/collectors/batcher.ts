import type { DataFrameType, Delivery } from '../delivery.js';
import type { Log } from '../log.js';

export interface BatcherOptions<T> {
  type: DataFrameType;
  flushMs: number;
  /** What an item is called in warnings: `log line`, `container event`. */
  noun: string;
  /** Unflushed items kept at most (an engine producing faster than the disk keeps up); past it the oldest are dropped. */
  maxItems: number;
  /** Runs once a batch is spooled, before the next one is. */
  spooled?: (items: T[]) => Promise<void>;
}

/**
 * Collects items from any container and spools them as frames of one type every `flushMs`, one
 * batch at a time so frames keep the items' order. Bounded, with a warning, rather than growing
 * without end.
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly delivery: Delivery,
    private readonly log: Log,
    private readonly options: BatcherOptions<T>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length <= this.options.maxItems) return;
    this.items.shift();
    if (this.dropped++ % 10_000 === 0) this.log.warn(`${capitalized(this.options.noun)}s arrive faster than they can be spooled: dropped the oldest (${this.dropped} so far)`);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.items.length) return;
      const items = this.items;
      this.items = [];
      try {
        await this.delivery.enqueue(this.options.type, items);
        await this.options.spooled?.(items);
      } catch (error) {
        this.log.error(`Could not spool ${items.length} ${this.options.noun}(s): ${(error as Error).message}`);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
