import { BadRequestException, Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { requireHost } from '../access/require-access.js';
import { PROCESSES_KIND } from './processes.kind.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import { parseQueryTime, resolveRange } from '../time-series/time-range.query.js';
import { toHistoryView, toSnapshotView, type ProcessHistoryView, type ProcessSnapshotView } from './dto/process.view.js';
import type { ProcessesQuery } from './dto/processes.query.js';
import { ProcessesQueryRepository } from './processes-query.repository.js';

const MODES =
  'Use either snapshot mode (no parameters: the latest snapshot; `at`: the snapshot nearest that time) ' +
  'or history mode (`pid`, optionally with `from`, `to` and `limit`)';

/** Process snapshots of a host, and the history of one process. */
@Injectable()
export class ProcessesQueryService {
  private readonly retentionMs: number;

  constructor(
    private readonly repository: ProcessesQueryRepository,
    private readonly access: AccessRepository,
    kinds: TelemetryKinds,
  ) {
    this.retentionMs = kinds.retentionMs(PROCESSES_KIND);
  }

  async read(organizationId: string, hostId: string, query: ProcessesQuery): Promise<ProcessSnapshotView | ProcessHistoryView> {
    const historyParameters = (['from', 'to', 'limit'] as const).filter((key) => query[key] !== undefined);
    if (query.at !== undefined && (query.pid !== undefined || historyParameters.length)) {
      throw new BadRequestException(`at cannot be combined with ${[...(query.pid !== undefined ? ['pid'] : []), ...historyParameters].join(', ')}. ${MODES}.`);
    }
    if (query.pid === undefined && historyParameters.length) {
      throw new BadRequestException(`${historyParameters.join(', ')} select the history of one process: pid is required. ${MODES}.`);
    }
    const oldestMs = Date.now() - this.retentionMs;
    const range = query.pid !== undefined ? resolveRange(query, { oldestMs }) : undefined;
    await requireHost(this.access, organizationId, hostId);

    const oldest = new Date(oldestMs);
    if (range) return toHistoryView(query.pid!, await this.repository.history(hostId, query.pid!, range.from, range.to, range.limit));
    if (query.at !== undefined) return toSnapshotView(await this.repository.nearest(hostId, new Date(parseQueryTime(query.at)!), oldest));
    return toSnapshotView(await this.repository.latest(hostId, oldest));
  }
}
