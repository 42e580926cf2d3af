import { Injectable, OnModuleInit } from '@nestjs/common';
import { cleanText, truncateUtf8 } from '../common/clean-text.js';
import { toMicrosIso } from '../common/timestamp.js';
import { ContainersService } from '../containers/containers.service.js';
import { containerLogsTopic, EventBus } from '../events/event-bus.js';
import { publishByContainer } from '../events/publish-by-container.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import { LogsFrameDto } from './dto/logs-frame.dto.js';
import { LogsRepository, type LogRow } from './logs.repository.js';

/** Longest stored log line, in UTF-8 bytes; longer ones are cut and marked `truncated`. */
export const MAX_LINE_BYTES = 16 * 1024;
const ROW_OVERHEAD_BYTES = 150;

/** `logs` frames: container log lines. */
@Injectable()
export class LogsService implements FrameHandler<LogsFrameDto>, OnModuleInit {
  readonly type = 'logs';
  readonly dto = LogsFrameDto;
  private readonly retentionMs: number;

  constructor(
    private readonly kinds: TelemetryKinds,
    private readonly repository: LogsRepository,
    private readonly containers: ContainersService,
    private readonly bus: EventBus,
  ) {
    this.retentionMs = kinds.retentionMs('RETENTION_LOGS');
  }

  onModuleInit(): void {
    this.kinds.register(this, this.repository);
  }

  async handle(agent: AgentContext, frame: LogsFrameDto): Promise<void> {
    const { items, stamps } = this.kinds.fresh(this.type, frame.data, this.retentionMs);
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
    await this.kinds.store(this.type, rows, bytes, () => this.publish(rows));
  }

  /** Live push per container once the buffer took the rows (TelemetryKinds keeps it best effort). */
  private publish(rows: LogRow[]): void {
    publishByContainer(this.bus, 'logs', containerLogsTopic, rows, (row) => ({
      containerId: row.container_id,
      ts: row.ts,
      stream: row.stream,
      line: row.line,
      truncated: row.truncated,
    }));
  }
}
