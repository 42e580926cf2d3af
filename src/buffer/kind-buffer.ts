import type { Logger } from '@nestjs/common';
import { backoffMs, jittered } from './backoff.js';
import type { BufferSink } from './buffer-sink.js';

/** Two, so one batch can be committing while the next is being written, without piling onto the database. */
export const MAX_CONCURRENT_FLUSHES = 2;

interface Frame {
  rows: unknown[];
  bytes: number;
  /** performance.now() at arrival: monotonic, so a wall-clock jump cannot stall or rush the age trigger. */
  at: number;
  done: () => void;
}

interface Batch {
  rows: unknown[];
  bytes: number;
  done: Array<() => void>;
  /** Failed and not yet retried; its timer may have been cancelled by stop(). */
  waiting: boolean;
  retry?: NodeJS.Timeout;
}

export interface KindBufferOptions {
  maxRows: number;
  flushMs: number;
  /** Called after a batch commits, so the owner can settle drains. */
  onRelease: () => void;
}

/** One kind's pending frames and in-flight batches. BatchingBuffer owns the memory bound across kinds. */
export class KindBuffer {
  pendingRows = 0;
  pendingBytes = 0;
  inFlightRows = 0;
  inFlightBytes = 0;
  flushedRows = 0;
  failedFlushes = 0;
  /** Consecutive failed attempts; non-zero exactly when the latest attempt failed. */
  private failures = 0;
  private readonly pending: Frame[] = [];
  private readonly flights = new Set<Batch>();
  private ageTimer?: NodeJS.Timeout;
  private draining = false;
  private stopped = false;

  constructor(
    private readonly sink: BufferSink<unknown>,
    private readonly options: KindBufferOptions,
    private readonly logger: Logger,
  ) {}

  get unhealthy(): boolean {
    return this.failures > 0;
  }

  get backoffMs(): number {
    return backoffMs(this.failures);
  }

  get heldRows(): number {
    return this.pendingRows + this.inFlightRows;
  }

  get heldBytes(): number {
    return this.pendingBytes + this.inFlightBytes;
  }

  add(rows: unknown[], bytes: number): Promise<void> {
    return new Promise((done) => {
      this.pending.push({ rows, bytes, at: performance.now(), done });
      this.pendingRows += rows.length;
      this.pendingBytes += bytes;
      // Later frames never move the age deadline, so only the first one of an empty list needs the timer.
      if (this.pending.length === 1 || this.pendingRows >= this.options.maxRows || this.draining) this.pump();
    });
  }

  /** Treats everything as due until endDrain(), and resumes retries that stop() cancelled. */
  drain(): void {
    this.draining = true;
    for (const batch of this.flights) if (batch.waiting && !batch.retry) void this.attempt(batch);
    this.pump();
  }

  endDrain(): void {
    this.draining = false;
  }

  /** Cancels timers; from now on only a size trigger or drain() starts work. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.ageTimer);
    this.ageTimer = undefined;
    // A drain in progress is awaited by shutdown: cancelling its retries would leave it hanging.
    if (this.draining) return;
    for (const batch of this.flights) {
      clearTimeout(batch.retry);
      batch.retry = undefined;
    }
  }

  private pump(): void {
    while (this.pending.length > 0 && this.flights.size < MAX_CONCURRENT_FLUSHES && this.isDue()) {
      void this.attempt(this.takeBatch());
    }
    this.armAgeTimer();
  }

  private isDue(): boolean {
    return (
      this.draining || this.pendingRows >= this.options.maxRows || performance.now() - this.pending[0].at >= this.options.flushMs
    );
  }

  private armAgeTimer(): void {
    clearTimeout(this.ageTimer);
    this.ageTimer = undefined;
    // With every slot busy, the next commit pumps anyway; a timer would only wake up to find nothing to do.
    if (this.pending.length === 0 || this.flights.size >= MAX_CONCURRENT_FLUSHES || this.stopped) return;
    const wait = Math.max(1, Math.ceil(this.pending[0].at + this.options.flushMs - performance.now()));
    this.ageTimer = setTimeout(() => {
      this.ageTimer = undefined;
      this.pump();
    }, wait);
  }

  /** Whole frames in arrival order, as many as fit in maxRows, and always at least one. */
  private takeBatch(): Batch {
    const { pending } = this;
    let count = 0;
    let rows = 0;
    let bytes = 0;
    do {
      rows += pending[count].rows.length;
      bytes += pending[count].bytes;
      count++;
    } while (count < pending.length && rows + pending[count].rows.length <= this.options.maxRows);
    const frames = pending.splice(0, count);
    this.pendingRows -= rows;
    this.pendingBytes -= bytes;
    this.inFlightRows += rows;
    this.inFlightBytes += bytes;
    const batch: Batch = {
      // The only copy of rows the buffer makes, once per batch; a lone frame is written as the caller's array.
      rows: frames.length === 1 ? frames[0].rows : frames.flatMap((frame) => frame.rows),
      bytes,
      done: frames.map((frame) => frame.done),
      waiting: false,
    };
    this.flights.add(batch);
    return batch;
  }

  private async attempt(batch: Batch): Promise<void> {
    batch.waiting = false;
    try {
      await this.sink.write(batch.rows);
    } catch (error) {
      this.failed(batch, error);
      return;
    }
    this.committed(batch);
  }

  private committed(batch: Batch): void {
    this.flights.delete(batch);
    this.inFlightRows -= batch.rows.length;
    this.inFlightBytes -= batch.bytes;
    this.flushedRows += batch.rows.length;
    if (this.failures > 0) {
      this.logger.log(`${this.sink.kind}: flushes succeed again after ${this.failures} failed attempt(s)`);
      this.failures = 0;
    }
    for (const done of batch.done) done();
    this.options.onRelease();
    this.pump();
  }

  private failed(batch: Batch, error: unknown): void {
    this.failedFlushes++;
    this.failures++;
    if (this.failures === 1) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`${this.sink.kind}: flushing ${batch.rows.length} rows failed; keeping them and retrying: ${message}`);
    }
    batch.waiting = true;
    // After stop() only drain() drives work, so an idle shutdown is not kept alive by retries.
    if (this.stopped && !this.draining) return;
    batch.retry = setTimeout(() => {
      batch.retry = undefined;
      void this.attempt(batch);
    }, jittered(backoffMs(this.failures)));
  }
}
