import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { toMillisIso } from '../common/timestamp.js';
import { parseDuration } from '../config/duration.js';
import type { Environment } from '../config/environment.js';
import { ContainersService } from '../containers/containers.service.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { freshItems } from '../ingest/time-window.js';
import { MetricsFrameDto } from './dto/metrics-frame.dto.js';
import { MetricsRepository, type ContainerMetricRow } from './metrics.repository.js';

const ROW_BYTES = 200;

/** `metrics` frames: container samples, buffered and written in bulk. */
@Injectable()
export class MetricsService implements FrameHandler<MetricsFrameDto>, OnModuleInit {
  readonly type = 'metrics';
  readonly dto = MetricsFrameDto;
  private readonly retentionMs: number;

  constructor(
    private readonly registry: FrameRegistry,
    private readonly buffer: BatchingBuffer,
    private readonly repository: MetricsRepository,
    private readonly containers: ContainersService,
    private readonly stats: IngestStats,
    config: ConfigService<Environment, true>,
  ) {
    this.retentionMs = parseDuration(config.getOrThrow('RETENTION_METRICS', { infer: true }))!;
  }

  onModuleInit(): void {
    this.registry.register(this);
    this.buffer.register(this.repository);
  }

  async handle(agent: AgentContext, frame: MetricsFrameDto): Promise<void> {
    const { items: fresh, stamps: freshStamps, expired } = freshItems(frame.data, this.retentionMs);
    this.stats.expired(this.type, expired);
    if (fresh.length) {
      const ids = await this.containers.resolve(agent.hostId, fresh.map((m) => m.containerId));
      const rows = fresh.map(
        (m, i): ContainerMetricRow => ({
          host_id: agent.hostId,
          container_id: ids.get(m.containerId.slice(0, 12))!,
          ts: toMillisIso(freshStamps[i]),
          cpu_percent: m.cpuPercent,
          memory_used: m.memoryUsed,
          memory_limit: m.memoryLimit,
          network_rx: m.networkRx,
          network_tx: m.networkTx,
          block_read: m.blockRead,
          block_write: m.blockWrite,
          pids: m.pids,
        }),
      );
      await this.buffer.add(this.type, rows, rows.length * ROW_BYTES);
    }
    this.stats.accepted(this.type);
  }
}
