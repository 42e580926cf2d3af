import type { FrameType, RowKind } from './frame-kinds.js';

/** Bound on kept latency samples; past it, reservoir sampling keeps a uniform sample. */
const MAX_SAMPLES = 50_000;

export interface LatencySummary {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface FleetStatsSnapshot {
  hosts: number;
  hostsConnected: number;
  /** Frame transmissions, resends included: each one should get exactly one answer. */
  framesSent: number;
  answers: number;
  acks: number;
  /** Error answers by code (`overloaded`, `invalid_message`, …). */
  errors: Record<string, number>;
  errorsTotal: number;
  /** Answers whose seq matched no frame in flight: a protocol violation if ever non-zero. */
  unexpectedAnswers: number;
  /** Frames in flight when their socket dropped (resent on the next connection). */
  unanswered: number;
  resends: number;
  /** Frames given up on: refused for good, or pushed out of a full queue. */
  dropped: number;
  reconnects: number;
  commandsAnswered: number;
  framesAcked: Partial<Record<FrameType, number>>;
  /** Rows in acknowledged frames by kind (`containers`: distinct containers acknowledged). */
  rowsAcked: Record<RowKind | 'total', number>;
  ackLatencyMs: LatencySummary;
}

/** Counters shared by every host of a fleet; cheap enough to update on every frame. */
export class FleetStats {
  framesSent = 0;
  answers = 0;
  acks = 0;
  errors: Record<string, number> = {};
  unexpectedAnswers = 0;
  unanswered = 0;
  resends = 0;
  dropped = 0;
  reconnects = 0;
  commandsAnswered = 0;
  framesAcked: Partial<Record<FrameType, number>> = {};
  rowsAcked: Record<RowKind, number> = { metrics: 0, host_metrics: 0, logs: 0, processes: 0, containers: 0, container_events: 0 };
  private readonly latencies: number[] = [];
  private latencyCount = 0;

  acked(type: FrameType, latencyMs: number): void {
    this.answers++;
    this.acks++;
    this.framesAcked[type] = (this.framesAcked[type] ?? 0) + 1;
    this.latencyCount++;
    if (this.latencies.length < MAX_SAMPLES) this.latencies.push(latencyMs);
    else {
      const slot = Math.floor(Math.random() * this.latencyCount);
      if (slot < MAX_SAMPLES) this.latencies[slot] = latencyMs;
    }
  }

  failed(code: string): void {
    this.answers++;
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  snapshot(hosts: number, hostsConnected: number): FleetStatsSnapshot {
    const rowsTotal = Object.values(this.rowsAcked).reduce((sum, n) => sum + n, 0);
    return {
      hosts,
      hostsConnected,
      framesSent: this.framesSent,
      answers: this.answers,
      acks: this.acks,
      errors: { ...this.errors },
      errorsTotal: Object.values(this.errors).reduce((sum, n) => sum + n, 0),
      unexpectedAnswers: this.unexpectedAnswers,
      unanswered: this.unanswered,
      resends: this.resends,
      dropped: this.dropped,
      reconnects: this.reconnects,
      commandsAnswered: this.commandsAnswered,
      framesAcked: { ...this.framesAcked },
      rowsAcked: { ...this.rowsAcked, total: rowsTotal },
      ackLatencyMs: summarize(this.latencies, this.latencyCount),
    };
  }
}

function summarize(samples: number[], count: number): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  return { samples: count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}
