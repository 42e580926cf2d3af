import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { requireHost } from '../access/require-access.js';
import { Retention } from '../config/retention.js';
import { ConnectionLedger, STALE_MS } from '../gap-ledger/connection-ledger.js';
import { ConnectionLedgerRepository } from '../gap-ledger/connection-ledger.repository.js';
import { ceilMinute, floorMinute } from '../gap-ledger/minutes.js';
import { RefusalLedger } from '../gap-ledger/refusal-ledger.js';
import { RefusalLedgerRepository } from '../gap-ledger/refusal-ledger.repository.js';
import { PresenceLedger } from '../gap-ledger/presence-ledger.js';
import { PresenceLedgerRepository } from '../gap-ledger/presence-ledger.repository.js';
import { resolveRange } from '../time-series/time-range.query.js';
import { ROLLUPS_RETENTION } from '../time-series/metrics-retention.js';
import type { GapsQuery } from './dto/gaps.query.js';
import { toGapView, type GapView } from './dto/gap.view.js';
import { GAP_KINDS, gapPeriods } from './gap-periods.js';
import { GapsRepository } from './gaps.repository.js';
import { missingMinutes } from './missing-minutes.js';
import { FRAME_TYPE } from './presence-recorder.js';

const DAY_MS = 86_400_000;

/**
 * The periods of a range in which a host has no data, and why (docs/gaps.md): missing minutes come
 * from the presence ledger (the minutes of committed samples, as the rollups have them), their
 * reasons from the connection and refusal ledgers. Whole minutes only, from the
 * host's creation, never the current (still open) minute, never past RETENTION_ROLLUPS.
 */
@Injectable()
export class GapsService {
  private readonly retentionMs: number;

  constructor(
    private readonly repository: GapsRepository,
    private readonly access: AccessRepository,
    private readonly presence: PresenceLedger,
    private readonly presenceRows: PresenceLedgerRepository,
    private readonly connections: ConnectionLedger,
    private readonly connectionRows: ConnectionLedgerRepository,
    private readonly refusals: RefusalLedger,
    private readonly refusalRows: RefusalLedgerRepository,
    retention: Retention,
  ) {
    this.retentionMs = retention.ms(ROLLUPS_RETENTION);
  }

  async list(organizationId: string, hostId: string, query: GapsQuery): Promise<GapView[]> {
    const now = Date.now();
    const range = resolveRange(query, { oldestMs: now - this.retentionMs, defaultSpanMs: DAY_MS });
    await requireHost(this.access, organizationId, hostId);
    const from = floorMinute(Math.max(range.from.getTime(), await this.repository.hostCreatedAt(hostId)));
    const to = Math.min(ceilMinute(range.to.getTime()), floorMinute(now));
    if (from >= to) return [];
    // What this instance has accepted or recorded so far is part of the answer.
    await Promise.all([this.presence.flush(), this.connections.flush(), this.refusals.flush()]);
    const kinds = query.kind ? [query.kind] : GAP_KINDS;
    // Independent reads, run together: on PostgreSQL each takes its own connection.
    const [connected, ...perKind] = await Promise.all([
      this.connectionRows.spans(hostId, new Date(from), new Date(to), new Date(now - STALE_MS), new Date(now)),
      ...kinds.map(async (kind) => {
        const [hours, refused] = await Promise.all([this.presenceRows.hours(hostId, kind, from, to), this.refusalRows.minutes(hostId, FRAME_TYPE[kind], new Date(from), new Date(to))]);
        return { kind, missing: missingMinutes(hours, from, to), refused: new Set(refused) };
      }),
    ]);
    const periods = perKind.flatMap(({ kind, missing, refused }) => gapPeriods(kind, missing, connected, refused));
    return periods.sort((a, b) => a.from - b.from || a.kind.localeCompare(b.kind)).map(toGapView);
  }
}
