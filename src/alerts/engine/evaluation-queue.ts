import { Logger } from '@nestjs/common';

/** Frames waiting at most: past it, samples are skipped rather than held (memory stays bounded). */
export const QUEUE_LIMIT = 5_000;

/**
 * Runs evaluation steps one after another, off the ingest path: the frame is acknowledged while
 * its rows wait here, and the order of one agent's frames is kept.
 */
export class EvaluationQueue {
  private tail: Promise<void> = Promise.resolve();
  private length = 0;
  /** Steps `offer` turned away because the queue was full. */
  skipped = 0;

  constructor(
    private readonly logger: Logger,
    private readonly limit = QUEUE_LIMIT,
  ) {}

  /**
   * Queues a step that may be lost under overload (samples: a window misses a few and its mean
   * stays meaningful). Returns false, and counts it, when the queue is full.
   */
  offer(step: () => Promise<void> | void): boolean {
    if (this.length >= this.limit) {
      if (this.skipped++ % 1000 === 0) this.logger.warn(`Alert evaluation is behind by ${this.length} frames; skipping samples (${this.skipped} frames so far)`);
      return false;
    }
    this.push(step);
    return true;
  }

  get pending(): number {
    return this.length;
  }

  /** Queues a step that must run (events: a crash is never skipped). */
  push(step: () => Promise<void> | void): void {
    this.length++;
    this.tail = this.tail
      .then(step)
      .catch((error) => this.logger.warn(`Alert evaluation failed: ${(error as Error).stack ?? error}`))
      .finally(() => this.length--);
  }

  /** Resolves when everything queued so far has run. */
  drained(): Promise<void> {
    return this.tail;
  }
}
