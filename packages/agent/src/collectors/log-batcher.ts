import type { Delivery } from '../delivery.js';
import type { Log } from '../log.js';
import type { LogCursors } from './log-cursors.js';
import type { EngineLogLine } from './log-demux.js';

/**
 * Collects log lines of all containers and spools them as `logs` frames every `flushMs`. Bounded:
 * past `maxLines` unflushed lines (a container logging faster than the disk keeps up) the oldest
 * are dropped with a warning rather than growing without end.
 */
export class LogBatcher {
  private lines: EngineLogLine[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly delivery: Delivery,
    private readonly cursors: LogCursors,
    private readonly flushMs: number,
    private readonly log: Log,
    private readonly maxLines = 100_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
  }

  add(line: EngineLogLine): void {
    this.lines.push(line);
    if (this.lines.length <= this.maxLines) return;
    this.lines.shift();
    if (this.dropped++ % 10_000 === 0) this.log.warn(`Log lines arrive faster than they can be spooled: dropped the oldest (${this.dropped} so far)`);
  }

  /** Spools what is collected; runs one at a time so frames keep the order of the lines. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.lines.length) return;
      const lines = this.lines;
      this.lines = [];
      try {
        await this.delivery.enqueue('logs', lines);
        for (const line of lines) this.cursors.advance(line);
        await this.cursors.save();
      } catch (error) {
        this.log.error(`Could not spool ${lines.length} log line(s): ${(error as Error).message}`);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
