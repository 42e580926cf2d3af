import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { toMillisIso } from '../common/timestamp.js';
import { parseDuration } from '../config/duration.js';
import type { Environment } from '../config/environment.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { FrameRegistry } from '../ingest/frame-registry.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { freshItems } from '../ingest/time-window.js';
import { HostMetricsFrameDto } from './dto/host-metrics-frame.dto.js';
import { HostMetricsRepository, type HostMetricRow } from './host-metrics.repository.js';

const ROW_BYTES = 200;

/** `host_metrics` frames: samples of the machine itself. */
@Injectable()
export class HostMetricsService implements FrameHandler<HostMetricsFrameDto>, OnModuleInit {
  readonly type = 'host_metrics';
  readonly dto = HostMetricsFrameDto;
  private readonly retentionMs: number;

  constructor(
    private readonly registry: FrameRegistry,
    private readonly buffer: BatchingBuffer,
    private readonly repository: HostMetricsRepository,
    private readonly stats: IngestStats,
    config: ConfigService<Environment, true>,
  ) {
    this.retentionMs = parseDuration(config.getOrThrow('RETENTION_METRICS', { infer: true }))!;
  }

  onModuleInit(): void {
    this.registry.register(this);
    this.buffer.register(this.repository);
  }

  async handle(agent: AgentContext, frame: HostMetricsFrameDto): Promise<void> {
    const { items: fresh, stamps: freshStamps, expired } = freshItems(frame.data, this.retentionMs);
    this.stats.expired(this.type, expired);
    const rows = fresh.map(
      (m, i): HostMetricRow => ({
        host_id: agent.hostId,
        ts: toMillisIso(freshStamps[i]),
        cpu_percent: m.cpuPercent,
        load1: m.load1,
        load5: m.load5,
        load15: m.load15,
        memory_used: m.memoryUsed,
        memory_total: m.memoryTotal,
        disk_used: m.diskUsed,
        disk_total: m.diskTotal,
        network_rx: m.networkRx,
        network_tx: m.networkTx,
      }),
    );
    await this.buffer.add(this.type, rows, rows.length * ROW_BYTES);
    this.stats.accepted(this.type);
  }
}
