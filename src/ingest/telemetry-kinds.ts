import { Injectable, Logger, Optional } from '@nestjs/common';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { Retention } from '../config/retention.js';
import { RefusalLedger } from '../gap-ledger/refusal-ledger.js';
import { IngestStats } from './ingest-stats.js';
import type { AgentContext } from './frame-handler.js';
import type { KindDescription } from './telemetry-kind.js';
import { freshItems } from './time-window.js';

/** Sees a frame's rows once they are committed (alert evaluation); must return quickly and never throw. */
export type CommittedRowsListener<Row = any> = (agent: AgentContext, rows: Row[]) => void;

/**
 * What every buffered telemetry kind needs from the ingest path, in one place: its retention,
 * the expired-row filter, and handing rows to the shared buffer with the counters kept.
 */
@Injectable()
export class TelemetryKinds {
  private readonly logger = new Logger(TelemetryKinds.name);
  private readonly listeners = new Map<string, CommittedRowsListener[]>();

  constructor(
    private readonly buffer: BatchingBuffer,
    private readonly stats: IngestStats,
    private readonly retention: Retention,
    @Optional() private readonly refusals?: RefusalLedger,
  ) {}

  retentionMs(kind: KindDescription): number {
    if (!kind.retention) throw new Error(`Kind "${kind.type}" declares no retention`);
    return this.retention.ms(kind.retention);
  }

  /**
   * The items inside the retention, with parsed timestamps; the rest are counted as expired and,
   * with the agent known, go to the gap ledger: acknowledged but never stored, their minutes are
   * missing for a reason the server knows.
   */
  fresh<T extends { ts: string | number }>(kind: string, items: T[], retentionMs: number, agent?: AgentContext) {
    const fresh = freshItems(items, retentionMs);
    this.stats.expired(kind, fresh.expired);
    if (fresh.expired && agent) {
      const kept = new Set(fresh.items);
      this.refusals?.refused(agent.hostId, kind, 'expired', items.filter((item) => !kept.has(item)));
    }
    return fresh;
  }

  expired(kind: string, rows: number): void {
    this.stats.expired(kind, rows);
  }

  /** Registers `listener` for the rows of `kind` committed from now on; returns its removal. */
  onCommitted<Row>(kind: string, listener: CommittedRowsListener<Row>): () => void {
    const list = this.listeners.get(kind) ?? [];
    list.push(listener);
    this.listeners.set(kind, list);
    return () => list.splice(list.indexOf(listener), 1);
  }

  /**
   * Resolves once every row is committed. `onAdmitted` runs as soon as the buffer has taken the
   * rows (live push), never for a frame answered overloaded. Committed-rows listeners run after
   * the commit, so they see each stored row once (a resent frame is deduplicated by them).
   */
  async store<Row>(kind: string, rows: Row[], bytes: number, onAdmitted?: () => void, agent?: AgentContext): Promise<void> {
    if (!rows.length) return;
    await this.buffer.add(kind, rows, bytes, onAdmitted && (() => this.bestEffort(kind, onAdmitted)));
    const listeners = this.listeners.get(kind);
    if (agent && listeners) for (const listener of listeners) this.bestEffort(kind, () => listener(agent, rows));
  }

  /** Live pushes and listeners are best effort: a failure is logged, and the frame is still stored and acked. */
  private bestEffort(kind: string, push: () => void): void {
    try {
      push();
    } catch (error) {
      this.logger.warn(`A listener of ${kind} rows failed: ${(error as Error).message}`);
    }
  }
}
