import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { cleanText } from '../common/clean-text.js';
import { parseTimestamp, toMillisIso } from '../common/timestamp.js';
import { parseDuration } from '../config/duration.js';
import type { Environment } from '../config/environment.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { keepWithinRetention } from '../ingest/time-window.js';
import { ProcessesFrameDto } from './dto/processes-frame.dto.js';
import { ProcessesRepository, type ProcessRow } from './processes.repository.js';

const ROW_BYTES = 300;

/** `processes` frames: one snapshot of the host's process table. */
@Injectable()
export class ProcessesService implements FrameHandler<ProcessesFrameDto>, OnModuleInit {
  readonly type = 'processes';
  readonly dto = ProcessesFrameDto;
  private readonly retentionMs: number;

  constructor(
    private readonly registry: FrameRegistry,
    private readonly buffer: BatchingBuffer,
    private readonly repository: ProcessesRepository,
    private readonly stats: IngestStats,
    config: ConfigService<Environment, true>,
  ) {
    this.retentionMs = parseDuration(config.getOrThrow('RETENTION_PROCESSES', { infer: true }))!;
  }

  onModuleInit(): void {
    this.registry.register(this);
    this.buffer.register(this.repository);
  }

  async handle(agent: AgentContext, frame: ProcessesFrameDto): Promise<void> {
    const seen = new Set<number>();
    frame.data.forEach((p, index) => {
      if (seen.has(p.pid)) throw new FrameRejectedError('A snapshot names a pid twice', [{ path: `data[${index}].pid`, message: `data[${index}].pid ${p.pid} appears twice` }]);
      seen.add(p.pid);
    });
    const stamp = parseTimestamp(frame.ts)!;
    const { expired } = keepWithinRetention([stamp], this.retentionMs, () => 'ts');
    if (expired) {
      this.stats.expired(this.type, frame.data.length);
    } else {
      const ts = toMillisIso(stamp);
      const rows = frame.data.map(
        (p): ProcessRow => ({
          host_id: agent.hostId,
          ts,
          pid: p.pid,
          ppid: p.ppid,
          name: cleanText(p.name),
          command: cleanText(p.command),
          user: cleanText(p.user),
          cpu_percent: p.cpuPercent,
          memory_rss: p.memoryRss,
          memory_percent: p.memoryPercent,
          threads: p.threads,
          state: cleanText(p.state),
        }),
      );
      await this.buffer.add(this.type, rows, rows.length * ROW_BYTES);
    }
    this.stats.accepted(this.type);
  }
}
