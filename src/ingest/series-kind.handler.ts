import type { BufferSink } from '../buffer/buffer-sink.js';
import type { Timestamp } from '../common/timestamp.js';
import type { AgentContext, FrameHandler } from './frame-handler.js';
import type { KindDescription } from './telemetry-kind.js';
import type { TelemetryKinds } from './telemetry-kinds.js';

/** A series frame's rows, with what they weigh in the buffer. */
export interface SeriesRows<Row> {
  rows: Row[];
  bytes: number;
}

/**
 * The handler of a kind whose frame is `data: [{ts, …}]`: drops items past the retention
 * (counted as expired), maps the rest to rows, stores them through the shared buffer, and pushes
 * them live once the buffer took them. A kind supplies `toRows` and, when it is watched live,
 * `publish`.
 */
export abstract class SeriesKindHandler<Item extends { ts: string | number }, Row> implements FrameHandler<{ data: Item[] }> {
  private readonly retentionMs: number;

  protected constructor(
    protected readonly kind: KindDescription,
    protected readonly kinds: TelemetryKinds,
    readonly sink: BufferSink<Row>,
  ) {
    this.retentionMs = kinds.retentionMs(kind);
  }

  protected abstract toRows(agent: AgentContext, items: Item[], stamps: Timestamp[]): Promise<SeriesRows<Row>> | SeriesRows<Row>;

  /** Best effort: a failure is logged and the frame is still stored and acked. */
  protected publish?(agent: AgentContext, rows: Row[]): void;

  async handle(agent: AgentContext, frame: { data: Item[] }): Promise<void> {
    const { items, stamps } = this.kinds.fresh(this.kind.type, frame.data, this.retentionMs, agent);
    const { rows, bytes } = await this.toRows(agent, items, stamps);
    const publish = this.publish?.bind(this);
    await this.kinds.store(this.kind.type, rows, bytes, publish && (() => publish(agent, rows)), agent);
  }
}
