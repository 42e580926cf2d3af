import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Histogram } from 'prom-client';
import type { Environment } from '../config/environment.js';
import type { BufferSink } from './buffer-sink.js';
import { BufferClosedError, BufferOverloadedError, BufferUnavailableError } from './buffer.errors.js';
import { DrainRate } from './drain-rate.js';
import { KindBuffer, MAX_CONCURRENT_FLUSHES, MAX_CONCURRENT_FLUSHES_SHARED } from './kind-buffer.js';

export { MAX_CONCURRENT_FLUSHES, MAX_CONCURRENT_FLUSHES_SHARED } from './kind-buffer.js';

/**
 * A healthy bulk write of up to BUFFER_MAX_ROWS rows takes milliseconds to a few hundred; a failing one
 * may last until the connection or statement times out (5-30 s): 2.5 ms to 30 s.
 */
const FLUSH_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface KindStats {
  pendingRows: number;
  inFlightRows: number;
  flushedRows: number;
  failedFlushes: number;
  heldBytes: number;
}

/**
 * Batches telemetry rows per kind into bulk writes. A frame's promise resolves when its rows are
 * committed, which is when the agent may be acked; a full buffer rejects new frames instead of
 * growing, so memory stays bounded however fast agents send or however long the database is down.
 */
@Injectable()
export class BatchingBuffer implements OnModuleDestroy {
  private readonly logger = new Logger(BatchingBuffer.name);
  private readonly kinds = new Map<string, KindBuffer>();
  private readonly maxRows: number;
  private readonly flushMs: number;
  private readonly flushWhenIdle: boolean;
  private readonly maxFlights: number;
  private readonly limitRows: number;
  private readonly limitBytes: number;
  private drainWaiters: Array<() => void> = [];
  private readonly drainRate = new DrainRate();
  /** Set once a drain ran out of time: nothing more is taken, so nothing is held past shutdown. */
  private closed?: BufferClosedError;
  /** Registered by this application's Prometheus registry only (`registers: []`), never the global one. */
  readonly flushSeconds = new Histogram({
    name: 'dockpulse_buffer_flush_seconds',
    help: 'Seconds one bulk write of the batching buffer took, by kind and outcome (ok, failed)',
    labelNames: ['kind', 'outcome'] as const,
    buckets: FLUSH_BUCKETS,
    registers: [],
  });

  constructor(config: ConfigService<Environment, true>) {
    this.maxRows = config.getOrThrow('BUFFER_MAX_ROWS', { infer: true });
    this.flushMs = config.getOrThrow('BUFFER_FLUSH_MS', { infer: true });
    this.flushWhenIdle = config.getOrThrow('BUFFER_FLUSH_IDLE', { infer: true });
    const shared = Boolean(config.get('REDIS_URL', { infer: true }));
    this.maxFlights = config.get('BUFFER_FLUSH_CONCURRENCY', { infer: true }) ?? (shared ? MAX_CONCURRENT_FLUSHES_SHARED : MAX_CONCURRENT_FLUSHES);
    this.limitRows = config.getOrThrow('BUFFER_LIMIT_ROWS', { infer: true });
    this.limitBytes = config.getOrThrow('BUFFER_LIMIT_BYTES', { infer: true });
  }

  register<Row>(sink: BufferSink<Row>): void {
    if (this.kinds.has(sink.kind)) throw new Error(`BatchingBuffer: kind "${sink.kind}" is already registered`);
    const options = {
      maxRows: this.maxRows,
      flushMs: this.flushMs,
      flushWhenIdle: this.flushWhenIdle,
      maxFlights: this.maxFlights,
      onRelease: () => this.settleDrains(),
      onFlush: (seconds: number, ok: boolean, rows: number) => {
        this.flushSeconds.observe({ kind: sink.kind, outcome: ok ? 'ok' : 'failed' }, seconds);
        if (ok) this.drainRate.committed(rows, this.heldRows() > rows);
      },
    };
    this.kinds.set(sink.kind, new KindBuffer(sink, options, this.logger));
  }

  /**
   * Holds one frame's rows; resolves once the flush holding its last row has committed. Rejects at
   * once, holding nothing, when the rows or the caller's byte estimate would go past the bound.
   * `onAdmitted` runs synchronously once the rows are taken (never for a refused frame), e.g. to
   * push them to live dashboards without waiting for the flush.
   */
  add<Row>(kind: string, rows: Row[], bytes = 0, onAdmitted?: () => void): Promise<void> {
    const buffer = this.kinds.get(kind);
    if (!buffer) throw new Error(`BatchingBuffer: no sink registered for kind "${kind}"`);
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`BatchingBuffer: bytes must be a finite number >= 0, got ${bytes}`);
    if (rows.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(this.closed);
    if (this.heldRows() + rows.length > this.limitRows || this.heldBytes() + bytes > this.limitBytes) return Promise.reject(this.refusal(buffer));
    const committed = buffer.add(rows, bytes);
    onAdmitted?.();
    return committed;
  }

  /**
   * The refusal any frame of `kind` carrying rows would get now, because the buffer is at its bound
   * already; undefined while it has room. Lets the caller refuse a frame before reading it: under a
   * flood, refusing must cost far less than accepting, or it starves the flushes that make room.
   */
  refusalNow(kind: string): Error | undefined {
    const buffer = this.kinds.get(kind);
    if (!buffer || this.closed || (this.heldRows() < this.limitRows && this.heldBytes() < this.limitBytes)) return undefined;
    return this.refusal(buffer);
  }

  private refusal(buffer: KindBuffer): Error {
    if (buffer.unhealthy) return new BufferUnavailableError(Math.max(1000, buffer.backoffMs));
    return new BufferOverloadedError(Math.max(100, this.flushMs, this.drainRate.waitFor(this.heldRows()) ?? 0));
  }

  /**
   * Flushes everything held now and resolves once all of it, and anything added meanwhile, is
   * committed; or, when `timeoutMs` runs out first, gives up on what is left (see abandon()).
   */
  async drain(timeoutMs = Infinity): Promise<void> {
    if (this.heldRows() === 0) return;
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    for (const buffer of this.kinds.values()) buffer.drain();
    if (timeoutMs === Infinity) return drained;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, timeoutMs))));
    if (await Promise.race([drained, timedOut])) this.abandon();
    clearTimeout(timer);
  }

  /**
   * Shutdown past its deadline: every frame held is rejected with BufferClosedError (so it is
   * never acknowledged, even if a write still running commits it later) and later adds are
   * refused the same way. Returns how many frames were given up.
   */
  abandon(retryAfterMs = 1000): number {
    this.closed ??= new BufferClosedError(retryAfterMs);
    let frames = 0;
    for (const buffer of this.kinds.values()) frames += buffer.abandon(this.closed);
    if (frames) this.logger.warn(`Shutdown: gave up on ${frames} frame(s) the database did not commit in time; they were not acknowledged`);
    this.settleDrains();
    return frames;
  }

  stats(): Record<string, KindStats> {
    const stats: Record<string, KindStats> = {};
    for (const [kind, buffer] of this.kinds) {
      const { pendingRows, inFlightRows, flushedRows, failedFlushes, heldBytes } = buffer;
      stats[kind] = { pendingRows, inFlightRows, flushedRows, failedFlushes, heldBytes };
    }
    return stats;
  }

  /** Whether the latest flush attempt of some kind failed: the database is presumed unavailable. */
  get unhealthy(): boolean {
    for (const buffer of this.kinds.values()) if (buffer.unhealthy) return true;
    return false;
  }

  /** Only stops timers: the shutdown coordinator calls drain() so that nothing held is lost. */
  onModuleDestroy(): void {
    for (const buffer of this.kinds.values()) buffer.stop();
  }

  // Summed over the few kinds rather than tracked twice, so the bound cannot drift from the per-kind counts.
  private heldRows(): number {
    let rows = 0;
    for (const buffer of this.kinds.values()) rows += buffer.heldRows;
    return rows;
  }

  private heldBytes(): number {
    let bytes = 0;
    for (const buffer of this.kinds.values()) bytes += buffer.heldBytes;
    return bytes;
  }

  private settleDrains(): void {
    if (this.drainWaiters.length === 0 || this.heldRows() > 0) return;
    for (const buffer of this.kinds.values()) buffer.endDrain();
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
