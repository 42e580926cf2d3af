import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';

export interface KindCounters {
  acceptedFrames: number;
  rejectedFrames: number;
  expiredRows: number;
}

/**
 * Seconds from a frame's arrival to its answer. An ack waits for its batch to commit (at most
 * BUFFER_FLUSH_MS, 1 s by default, plus the write), an error is usually immediate: fine steps from 1 ms to 1 s, then
 * coarse ones up to the 30 s a stalled database may hold a frame.
 */
const ACK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Ingest counters per frame kind, beside the buffer's own (pending, flushed, failed flushes), for
 * the storage-health endpoint and /metrics.
 */
@Injectable()
export class IngestStats {
  private readonly kinds = new Map<string, KindCounters>();
  private readonly refusals = new Map<string, number>();
  /** Registered by this application's Prometheus registry only (`registers: []`), never the global one. */
  readonly ackSeconds = new Histogram({
    name: 'dockpulse_ingest_ack_seconds',
    help: 'Seconds from an agent frame arriving to its answer (ack or error), by frame kind',
    labelNames: ['kind'] as const,
    buckets: ACK_BUCKETS,
    registers: [],
  });

  private of(kind: string): KindCounters {
    let counters = this.kinds.get(kind);
    if (!counters) this.kinds.set(kind, (counters = { acceptedFrames: 0, rejectedFrames: 0, expiredRows: 0 }));
    return counters;
  }

  accepted(kind: string): void {
    this.of(kind).acceptedFrames++;
  }

  rejected(kind: string): void {
    this.of(kind).rejectedFrames++;
  }

  expired(kind: string, rows: number): void {
    if (rows) this.of(kind).expiredRows += rows;
  }

  /** A frame answered: how long it took, and the error code it was refused with, if it was. */
  answered(kind: string, seconds: number, refusedWith?: string): void {
    this.ackSeconds.observe({ kind }, seconds);
    if (refusedWith === undefined) return;
    const key = `${kind}\u0000${refusedWith}`;
    this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
  }

  /** Frames refused, by kind (`unknown` when the type is not one) and error code. */
  refusedFrames(): { kind: string; code: string; count: number }[] {
    return [...this.refusals].map(([key, count]) => {
      const [kind, code] = key.split('\u0000');
      return { kind, code, count };
    });
  }

  snapshot(): Record<string, KindCounters> {
    return Object.fromEntries([...this.kinds].map(([kind, counters]) => [kind, { ...counters }]));
  }
}
