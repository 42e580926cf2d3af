import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { requireContainer } from '../access/require-access.js';
import { LOGS_KIND } from './logs.kind.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import { resolveRange } from '../time-series/time-range.query.js';
import { toLogLineView, type LogsPage } from './dto/log-line.view.js';
import type { LogsSearchQuery } from './dto/logs-search.query.js';
import { decodeLogCursor, encodeLogCursor, type LogQueryIdentity } from './log-cursor.js';
import { firstStep, hasTrigram, nextStep, type SearchStep } from './log-search.plan.js';
import { LogsQueryRepository, type LogFilter, type LogLineRow, type LogSearchSession } from './logs-query.repository.js';

/** `%`, `_` and `\` are LIKE's own characters; escaped, the term is a literal substring. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const QUERY_CANCELED = '57014';

/** Reads a container's log lines: newest first, filtered, paged by an opaque cursor. */
@Injectable()
export class LogsQueryService {
  private readonly retentionMs: number;

  constructor(
    private readonly repository: LogsQueryRepository,
    private readonly access: AccessRepository,
    kinds: TelemetryKinds,
  ) {
    this.retentionMs = kinds.retentionMs(LOGS_KIND);
  }

  async search(organizationId: string, containerId: string, query: LogsSearchQuery): Promise<LogsPage> {
    const oldestMs = Date.now() - this.retentionMs;
    const range = resolveRange(query, { oldestMs });
    const identity: LogQueryIdentity = { containerId, q: query.q, stream: query.stream, from: query.from, to: query.to };
    const cursor = query.cursor === undefined ? undefined : decodeLogCursor(identity, query.cursor);
    await requireContainer(this.access, organizationId, containerId);

    // Later pages keep the first page's `from`, so a default "last hour" does not move under the reader.
    const fromMs = cursor ? Math.max(cursor.fromMs, oldestMs) : range.from.getTime();
    const filter: LogFilter = { containerId, from: new Date(fromMs), to: range.to, stream: query.stream, after: cursor?.after };
    if (query.q !== undefined) filter.pattern = likePattern(query.q);
    // One line more than the page tells whether there is a next page.
    const rows = await this.find(filter, query.q, range.limit + 1).catch((error: { code?: string }) => {
      if (error?.code === QUERY_CANCELED) throw new ServiceUnavailableException('The search took too long; narrow the time range or use a longer term');
      throw error;
    });
    const items = rows.slice(0, range.limit);
    const last = rows.length > range.limit ? items.at(-1) : undefined;
    return {
      items: items.map(toLogLineView),
      nextCursor: last ? encodeLogCursor(identity, { after: last, fromMs }) : null,
    };
  }

  /** The newest `wanted` matching lines, walking or using the trigram index as log-search.plan.ts decides. */
  private find(filter: LogFilter, q: string | undefined, wanted: number): Promise<LogLineRow[]> {
    return this.repository.session(async (session: LogSearchSession) => {
      const found: LogLineRow[] = [];
      let step: SearchStep = firstStep(wanted, q);
      let below = filter;
      let walks = 0;
      let walked = 0;
      let startTs: string | undefined;
      for (;;) {
        if (step.kind === 'trigram') return found.concat(await session.trigram(below, wanted - found.length));
        const walk = await session.walk(below, step.budget, wanted - found.length);
        found.push(...walk.hits);
        if (found.length >= wanted || !walk.edge) return found;
        // The walk stopped at its budget: whatever comes next looks strictly below the last line it saw.
        below = { ...filter, after: walk.edge };
        startTs ??= walk.first!.ts;
        walks += 1;
        walked += step.budget!;
        step = nextStep({
          indexable: hasTrigram(q!),
          walks,
          walked,
          matched: found.length,
          needed: wanted - found.length,
          walkedSpanMs: Date.parse(startTs) - Date.parse(walk.edge.ts),
          remainingSpanMs: Date.parse(walk.edge.ts) - filter.from.getTime(),
        });
      }
    });
  }
}
