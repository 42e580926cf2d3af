import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';

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
  /** Registered by this application's Prometheus registry only (`registers: []`), never the global one. */
  readonly ackSeconds = new Histogram({
    name: 'dockpulse_ingest_ack_seconds',
    help: 'Seconds from an agent frame arriving to its answer (ack or error), by frame kind',
    labelNames: ['kind'] as const,
    buckets: ACK_BUCKETS,
    registers: [],
  });
  /** Frames refused, by kind (`unknown` when the type is not one) and error code; registered like ackSeconds. */
  readonly refusedFrames = new Counter({
    name: 'dockpulse_ingest_refused_frames_total',
    help: 'Agent frames answered with an error, by kind (unknown when the type is not one) and error code',
    labelNames: ['kind', 'code'] as const,
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
    if (refusedWith !== undefined) this.refusedFrames.inc({ kind, code: refusedWith });
  }

  snapshot(): Record<string, KindCounters> {
    return Object.fromEntries([...this.kinds].map(([kind, counters]) => [kind, { ...counters }]));
  }
}
