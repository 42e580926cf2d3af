import { Logger } from '@nestjs/common';

/** Frames waiting at most, all hosts together: past it, samples are skipped rather than held (memory stays bounded). */
export const QUEUE_LIMIT = 5_000;

/** Resolves after the event loop's next I/O phase; every step queued in one turn shares it. */
let gate: Promise<void> | undefined;
const afterIo = (): Promise<void> =>
  (gate ??= new Promise((resolve) =>
    setImmediate(() => {
      gate = undefined;
      resolve();
    }),
  ));

/**
 * Runs evaluation steps off the ingest path: the frame is acknowledged while its rows wait here.
 * Steps of one host run one after another (its frames' order is kept); hosts do not wait for each
 * other, so one host's database read (a catch-up, a new container's name) holds back no one else.
 */
export class EvaluationQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private length = 0;
  /** Steps `offer` turned away because the queue was full. */
  skipped = 0;

  constructor(
    private readonly logger: Logger,
    private readonly limit = QUEUE_LIMIT,
  ) {}

  get pending(): number {
    return this.length;
  }

  /**
   * Queues a step that may be lost under overload (samples: a window misses a few and its mean
   * stays meaningful). Returns false, and counts it, when the queue is full.
   */
  offer(host: string, step: () => Promise<void> | void): boolean {
    if (this.length >= this.limit) {
      if (this.skipped++ % 1000 === 0) this.logger.warn(`Alert evaluation is behind by ${this.length} frames; skipping samples (${this.skipped + 1} frames so far)`);
      return false;
    }
    this.push(host, step);
    return true;
  }

  /** Queues a step that must run (events: a crash is never skipped). */
  push(host: string, step: () => Promise<void> | void): void {
    this.length++;
    // A commit releases many frames at once: their acks go out and the next frames are read
    // before they are evaluated (an agent waits for its ack, not for its alerts).
    const next: Promise<void> = (this.tails.get(host) ?? Promise.resolve())
      .then(afterIo)
      .then(step)
      .catch((error) => this.logger.warn(`Alert evaluation failed: ${(error as Error).stack ?? error}`))
      .finally(() => {
        this.length--;
        if (this.tails.get(host) === next) this.tails.delete(host);
      });
    this.tails.set(host, next);
  }

  /** Resolves when everything queued so far has run. */
  async drained(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
