import { Logger } from '@nestjs/common';

/**
 * Runs evaluation steps one after another, off the ingest path: the frame is acknowledged while
 * its rows wait here, and the order of one agent's frames is kept.
 */
export class EvaluationQueue {
  private tail: Promise<void> = Promise.resolve();
  private length = 0;

  constructor(private readonly logger: Logger) {}

  get pending(): number {
    return this.length;
  }

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
