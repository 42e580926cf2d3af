import { Injectable } from '@nestjs/common';

export interface KindCounters {
  acceptedFrames: number;
  rejectedFrames: number;
  expiredRows: number;
}

/**
 * Ingest counters per frame kind, beside the buffer's own (pending, flushed, failed flushes), for
 * the storage-health endpoint and /metrics.
 */
@Injectable()
export class IngestStats {
  private readonly kinds = new Map<string, KindCounters>();

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

  snapshot(): Record<string, KindCounters> {
    return Object.fromEntries([...this.kinds].map(([kind, counters]) => [kind, { ...counters }]));
  }
}
