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

/** The rows' times, each distinct one once in a run (a frame's containers mostly share their ts). */
function* stamps(rows: Array<{ ts: string }>): Generator<number> {
  let last: string | undefined;
  for (const row of rows) {
    if (row.ts === last) continue;
    last = row.ts;
    yield Date.parse(row.ts);
  }
}
