import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { requireHost } from '../access/require-access.js';
import { Retention } from '../config/retention.js';
import { ConnectionLedger, STALE_MS } from '../gap-ledger/connection-ledger.js';
import { ConnectionLedgerRepository } from '../gap-ledger/connection-ledger.repository.js';
import { ceilMinute, floorMinute } from '../gap-ledger/minutes.js';
import { RefusalLedger } from '../gap-ledger/refusal-ledger.js';
import { RefusalLedgerRepository } from '../gap-ledger/refusal-ledger.repository.js';
import { RollupService } from '../rollups/rollup.service.js';
import { resolveRange } from '../time-series/time-range.query.js';
import { ROLLUPS_RETENTION } from '../time-series/metrics-retention.js';
import type { GapsQuery } from './dto/gaps.query.js';
import { toGapView, type GapView } from './dto/gap.view.js';
import { GAP_KINDS, gapPeriods, type GapKind, type GapPeriod } from './gap-periods.js';
import { GapsRepository } from './gaps.repository.js';

const DAY_MS = 86_400_000;
/** The frame type whose refusals explain a kind's missing minutes. */
const FRAME_TYPE: Record<GapKind, string> = { host_metrics: 'host_metrics', container_metrics: 'metrics' };

/**
 * The periods of a range in which a host has no data, and why (docs/gaps.md): missing minutes come
 * from the per-minute rollups, their reasons from the gap ledger. Whole minutes only, from the
 * host's creation, never the current (still open) minute, never past RETENTION_ROLLUPS.
 */
@Injectable()
export class GapsService {
  private readonly retentionMs: number;

  constructor(
    private readonly repository: GapsRepository,
    private readonly access: AccessRepository,
    private readonly rollups: RollupService,
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
    await Promise.all([this.rollups.settle(), this.connections.flush(), this.refusals.flush()]);
    const connected = await this.connectionRows.spans(hostId, new Date(from), new Date(to), new Date(now - STALE_MS), new Date(now));
    const periods: GapPeriod[] = [];
    for (const kind of query.kind ? [query.kind] : GAP_KINDS) {
      const missing = await this.repository.missing(kind, hostId, from, to);
      if (!missing.length) continue;
      const refused = await this.refusalRows.minutes(hostId, FRAME_TYPE[kind], new Date(missing[0].from), new Date(missing[missing.length - 1].to));
      periods.push(...gapPeriods(kind, missing, connected, new Set(refused)));
    }
    return periods.sort((a, b) => a.from - b.from || a.kind.localeCompare(b.kind)).map(toGapView);
  }
}
