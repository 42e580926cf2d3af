import { Injectable, Logger } from '@nestjs/common';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { Retention } from '../config/retention.js';
import { IngestStats } from './ingest-stats.js';
import type { KindDescription } from './telemetry-kind.js';
import { freshItems } from './time-window.js';

/**
 * What every buffered telemetry kind needs from the ingest path, in one place: its retention,
 * the expired-row filter, and handing rows to the shared buffer with the counters kept.
 */
@Injectable()
export class TelemetryKinds {
  private readonly logger = new Logger(TelemetryKinds.name);

  constructor(
    private readonly buffer: BatchingBuffer,
    private readonly stats: IngestStats,
    private readonly retention: Retention,
  ) {}

  retentionMs(kind: KindDescription): number {
    if (!kind.retention) throw new Error(`Kind "${kind.type}" declares no retention`);
    return this.retention.ms(kind.retention);
  }

  /** The items inside the retention, with parsed timestamps; the rest are counted as expired. */
  fresh<T extends { ts: string | number }>(kind: string, items: T[], retentionMs: number) {
    const fresh = freshItems(items, retentionMs);
    this.stats.expired(kind, fresh.expired);
    return fresh;
  }

  expired(kind: string, rows: number): void {
    this.stats.expired(kind, rows);
  }

  /**
   * Resolves once every row is committed. `onAdmitted` runs as soon as the buffer has taken the
   * rows (live push), never for a frame answered overloaded.
   */
  async store<Row>(kind: string, rows: Row[], bytes: number, onAdmitted?: () => void): Promise<void> {
    if (rows.length) await this.buffer.add(kind, rows, bytes, onAdmitted && (() => this.bestEffort(kind, onAdmitted)));
  }

  /** Dashboards are best effort: a failing live push is logged, and the frame is still stored and acked. */
  private bestEffort(kind: string, push: () => void): void {
    try {
      push();
    } catch (error) {
      this.logger.warn(`Live push of ${kind} failed: ${(error as Error).message}`);
    }
  }
}
