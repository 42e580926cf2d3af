import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BufferSink } from '../buffer/buffer-sink.js';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { parseDuration } from '../config/duration.js';
import type { Environment } from '../config/environment.js';
import type { RetentionKey } from '../database/time-series-tables.js';
import type { FrameHandler } from './frame-handler.js';
import { FrameRegistry } from './frame-registry.js';
import { IngestStats } from './ingest-stats.js';
import { freshItems } from './time-window.js';

/**
 * What every buffered telemetry kind (metrics, host metrics, logs, processes) needs from the ingest
 * path, in one place: registration of its frame handler and bulk writer, its retention, the
 * expired-row filter, and handing rows to the shared buffer with the counters kept.
 */
@Injectable()
export class TelemetryKinds {
  private readonly logger = new Logger(TelemetryKinds.name);

  constructor(
    private readonly registry: FrameRegistry,
    private readonly buffer: BatchingBuffer,
    private readonly stats: IngestStats,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  register<Frame extends object, Row>(handler: FrameHandler<Frame>, sink: BufferSink<Row>): void {
    this.registry.register(handler);
    this.buffer.register(sink);
  }

  retentionMs(key: RetentionKey): number {
    return parseDuration(this.config.getOrThrow(key, { infer: true }))!;
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
   * Resolves once every row is committed; then the frame counts as accepted. `onAdmitted` runs as
   * soon as the buffer has taken the rows (live push), never for a frame answered overloaded.
   */
  async store<Row>(kind: string, rows: Row[], bytes: number, onAdmitted?: () => void): Promise<void> {
    if (rows.length) await this.buffer.add(kind, rows, bytes, onAdmitted && (() => this.bestEffort(kind, onAdmitted)));
    this.stats.accepted(kind);
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
