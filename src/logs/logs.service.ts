import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { cleanText, truncateUtf8 } from '../common/clean-text.js';
import { toMicrosIso } from '../common/timestamp.js';
import { parseDuration } from '../config/duration.js';
import type { Environment } from '../config/environment.js';
import { ContainersService } from '../containers/containers.service.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { freshItems } from '../ingest/time-window.js';
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
    private readonly registry: FrameRegistry,
    private readonly buffer: BatchingBuffer,
    private readonly repository: LogsRepository,
    private readonly containers: ContainersService,
    private readonly stats: IngestStats,
    config: ConfigService<Environment, true>,
  ) {
    this.retentionMs = parseDuration(config.getOrThrow('RETENTION_LOGS', { infer: true }))!;
  }

  onModuleInit(): void {
    this.registry.register(this);
    this.buffer.register(this.repository);
  }

  async handle(agent: AgentContext, frame: LogsFrameDto): Promise<void> {
    const { items: fresh, stamps: freshStamps, expired } = freshItems(frame.data, this.retentionMs);
    this.stats.expired(this.type, expired);
    if (fresh.length) {
      const ids = await this.containers.resolve(agent.hostId, fresh.map((l) => l.containerId));
      let bytes = 0;
      const rows = fresh.map((l, i): LogRow => {
        const { text, truncated } = truncateUtf8(cleanText(l.line), MAX_LINE_BYTES);
        bytes += text.length + ROW_OVERHEAD_BYTES;
        return {
          host_id: agent.hostId,
          container_id: ids.get(l.containerId.slice(0, 12))!,
          ts: toMicrosIso(freshStamps[i]),
          nanos: freshStamps[i].nanos,
          stream: l.stream,
          line: text,
          truncated,
        };
      });
      await this.buffer.add(this.type, rows, bytes);
    }
    this.stats.accepted(this.type);
  }
}
