import type { Logger } from '@nestjs/common';
import { backoffMs, jittered } from './backoff.js';
import type { BufferSink } from './buffer-sink.js';
import { BufferRefusedError } from './buffer.errors.js';

/** Two, so one batch can be committing while the next is being written, without piling onto the database. */
export const MAX_CONCURRENT_FLUSHES = 2;
/** Several instances on one database: their writes add up, and concurrent COPYs contend on index locks. */
export const MAX_CONCURRENT_FLUSHES_SHARED = 1;

interface Frame {
  rows: unknown[];
  bytes: number;
  /** performance.now() at arrival: monotonic, so a wall-clock jump cannot stall or rush the age trigger. */
  at: number;
  committed: () => void;
  refused: (error: Error) => void;
}

interface Batch {
  frames: Frame[];
  rows: unknown[];
  bytes: number;
  /** Failed and not yet retried; its timer may have been cancelled by stop(). */
  waiting: boolean;
  retry?: NodeJS.Timeout;
  /** Given up by abandon(): whatever its write does later changes nothing. */
  abandoned?: boolean;
}

export interface KindBufferOptions {
  maxRows: number;
  flushMs: number;
  /**
   * Group commit: with no batch in flight, what is pending is written at once; rows arriving during
   * the write gather into the next batch. Otherwise only size, age or a drain start a write.
   */
  flushWhenIdle: boolean;
  /** Batches written at once at most (BUFFER_FLUSH_CONCURRENCY). */
  maxFlights: number;
  /** Called after a batch commits, so the owner can settle drains. */
  onRelease: () => void;
  /** Told how long every write of a batch took and how many rows it held (a bisected batch's halves are writes of their own). */
  onFlush?: (seconds: number, ok: boolean, rows: number) => void;
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
    return new Promise((committed, refused) => {
      this.pending.push({ rows, bytes, at: performance.now(), committed, refused });
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

  /**
   * Gives up on everything held (shutdown past its deadline): every frame not yet committed is
   * rejected with `error` and its rows released, including batches whose write is still running
   * (their outcome is ignored). The caller refuses further adds.
   */
  abandon(error: Error): number {
    const frames = [...this.pending, ...[...this.flights].flatMap((batch) => batch.frames)];
    for (const batch of this.flights) {
      batch.abandoned = true;
      clearTimeout(batch.retry);
    }
    this.flights.clear();
    this.pending.length = 0;
    this.pendingRows = this.pendingBytes = this.inFlightRows = this.inFlightBytes = 0;
    clearTimeout(this.ageTimer);
    this.ageTimer = undefined;
    for (const frame of frames) frame.refused(error);
    return frames.length;
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
    while (this.pending.length > 0 && this.flights.size < this.options.maxFlights && this.isDue()) {
      void this.attempt(this.takeBatch());
    }
    this.armAgeTimer();
  }

  private isDue(): boolean {
    return (
      this.draining ||
      this.pendingRows >= this.options.maxRows ||
      (this.options.flushWhenIdle && this.flights.size === 0 && !this.stopped) ||
      performance.now() - this.pending[0].at >= this.options.flushMs
    );
  }

  private armAgeTimer(): void {
    clearTimeout(this.ageTimer);
    this.ageTimer = undefined;
    // With every slot busy, the next commit pumps anyway; a timer would only wake up to find nothing to do.
    if (this.pending.length === 0 || this.flights.size >= this.options.maxFlights || this.stopped) return;
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
    this.pendingRows -= rows;
    this.pendingBytes -= bytes;
    this.inFlightRows += rows;
    this.inFlightBytes += bytes;
    return this.flight(pending.splice(0, count), bytes);
  }

  private flight(frames: Frame[], bytes = frames.reduce((sum, frame) => sum + frame.bytes, 0)): Batch {
    // The only copy of rows the buffer makes, once per batch; a lone frame is written as the caller's array.
    const rows = frames.length === 1 ? frames[0].rows : frames.flatMap((frame) => frame.rows);
    const batch: Batch = { frames, rows, bytes, waiting: false };
    this.flights.add(batch);
    return batch;
  }

  private async attempt(batch: Batch): Promise<void> {
    if (batch.abandoned) return;
    batch.waiting = false;
    let error: unknown;
    let failed = false;
    const started = performance.now();
    try {
      await this.sink.write(batch.rows);
    } catch (caught) {
      [failed, error] = [true, caught];
    }
    this.options.onFlush?.((performance.now() - started) / 1000, !failed, batch.rows.length);
    if (batch.abandoned) return;
    if (!failed) this.committed(batch);
    else if (this.sink.refusesRows?.(error)) await this.split(batch, error);
    else this.failed(batch, error);
  }

  private committed(batch: Batch): void {
    this.release(batch);
    this.flushedRows += batch.rows.length;
    if (this.failures > 0) {
      this.logger.log(`${this.sink.kind}: flushes succeed again after ${this.failures} failed attempt(s)`);
      this.failures = 0;
    }
    for (const frame of batch.frames) frame.committed();
    this.options.onRelease();
    this.pump();
  }

  /**
   * The database refused something in the batch. Bisected by frames, halves written one after the
   * other (one extra write at a time, however many frames are at fault), until each refused frame
   * stands alone: only those are refused, every other frame commits.
   */
  private async split(batch: Batch, error: unknown): Promise<void> {
    if (batch.frames.length === 1) return this.refuse(batch, error);
    this.flights.delete(batch);
    const half = Math.ceil(batch.frames.length / 2);
    const halves = [this.flight(batch.frames.slice(0, half)), this.flight(batch.frames.slice(half))];
    for (const part of halves) await this.attempt(part);
  }

  private refuse(batch: Batch, error: unknown): void {
    this.release(batch);
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`${this.sink.kind}: the database refused a frame of ${batch.rows.length} rows; refusing it: ${reason}`);
    batch.frames[0].refused(new BufferRefusedError(reason, { cause: error }));
    this.options.onRelease();
    this.pump();
  }

  private release(batch: Batch): void {
    this.flights.delete(batch);
    this.inFlightRows -= batch.rows.length;
    this.inFlightBytes -= batch.bytes;
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
