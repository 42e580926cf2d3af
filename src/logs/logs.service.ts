import { Injectable } from '@nestjs/common';
import { cleanText, truncateUtf8 } from '../common/clean-text.js';
import { toMicrosIso, type Timestamp } from '../common/timestamp.js';
import { ContainersService } from '../containers/containers.service.js';
import { EventBus } from '../events/event-bus.js';
import { publishByContainer } from '../events/publish-by-container.js';
import type { AgentContext } from '../ingest/frame-handler.js';
import { SeriesKindHandler } from '../ingest/series-kind.handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import type { LogLineDto } from './dto/logs-frame.dto.js';
import { LOGS_KIND } from './logs.kind.js';
import { LogsRepository, type LogRow } from './logs.repository.js';

/** Longest stored log line, in UTF-8 bytes; longer ones are cut and marked `truncated`. */
export const MAX_LINE_BYTES = 16 * 1024;
const ROW_OVERHEAD_BYTES = 150;

/** `logs` frames: container log lines. */
@Injectable()
@HandlesKind(LOGS_KIND)
export class LogsService extends SeriesKindHandler<LogLineDto, LogRow> {
  constructor(
    kinds: TelemetryKinds,
    repository: LogsRepository,
    private readonly containers: ContainersService,
    private readonly bus: EventBus,
  ) {
    super(LOGS_KIND, kinds, repository);
  }

  protected async toRows(agent: AgentContext, items: LogLineDto[], stamps: Timestamp[]) {
    const ids = items.length ? await this.containers.resolve(agent.hostId, items.map((l) => l.containerId)) : new Map<string, string>();
    let bytes = 0;
    const rows = items.map((l, i): LogRow => {
      const { text, truncated } = truncateUtf8(cleanText(l.line), MAX_LINE_BYTES);
      bytes += text.length + ROW_OVERHEAD_BYTES;
      return {
        host_id: agent.hostId,
        container_id: ids.get(l.containerId.slice(0, 12))!,
        ts: toMicrosIso(stamps[i]),
        nanos: stamps[i].nanos,
        stream: l.stream,
        n: l.n ?? -1,
        line: text,
        truncated,
      };
    });
    return { rows, bytes };
  }

  protected publish(_agent: AgentContext, rows: LogRow[]): void {
    publishByContainer(this.bus, 'logs', LOGS_KIND.live!.of, rows, (row) =>
      JSON.stringify({ containerId: row.container_id, ts: row.ts, stream: row.stream, line: row.line, truncated: row.truncated }),
    );
  }
}
