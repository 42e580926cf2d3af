import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PresenceLedger } from '../gap-ledger/presence-ledger.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import type { GapKind } from './gap-periods.js';

/** The frame types whose committed rows are the data of each gap kind. */
export const FRAME_TYPE: Record<GapKind, string> = { host_metrics: 'host_metrics', container_metrics: 'metrics' };

/** Marks the minutes of every committed host or container sample in the presence ledger (the same rows the rollups are made of). */
@Injectable()
export class PresenceRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly kinds: TelemetryKinds,
    private readonly presence: PresenceLedger,
  ) {}

  onModuleInit(): void {
    for (const [kind, type] of Object.entries(FRAME_TYPE)) {
      this.stops.push(this.kinds.onCommitted<{ ts: string }>(type, (agent, rows) => this.presence.present(agent.hostId, kind, stamps(rows))));
    }
  }

  onModuleDestroy(): void {
    for (const stop of this.stops) stop();
  }
}

/**
 * One time of each minute in a run of rows (a frame's samples mostly come minute by minute, its
 * containers sharing their times): committed rows are stamped in the canonical ISO form, whose
 * first 16 characters are the minute, so a row of a minute already yielded costs a prefix compare.
 */
function* stamps(rows: Array<{ ts: string }>): Generator<number> {
  let minute = '\0';
  for (const { ts } of rows) {
    if (ts.startsWith(minute)) continue;
    if (ts.length === 24 && ts.endsWith('Z')) minute = ts.slice(0, 16);
    yield Date.parse(ts);
  }
}
