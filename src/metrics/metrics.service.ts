import { Injectable, OnModuleInit } from '@nestjs/common';
import { toMillisIso } from '../common/timestamp.js';
import { ContainersService } from '../containers/containers.service.js';
import { containerMetricsTopic, EventBus } from '../events/event-bus.js';
import { publishByContainer } from '../events/publish-by-container.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
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
    private readonly kinds: TelemetryKinds,
    private readonly repository: MetricsRepository,
    private readonly containers: ContainersService,
    private readonly bus: EventBus,
  ) {
    this.retentionMs = kinds.retentionMs('RETENTION_METRICS');
  }

  onModuleInit(): void {
    this.kinds.register(this, this.repository);
  }

  async handle(agent: AgentContext, frame: MetricsFrameDto): Promise<void> {
    const { items, stamps } = this.kinds.fresh(this.type, frame.data, this.retentionMs);
    const ids = items.length ? await this.containers.resolve(agent.hostId, items.map((m) => m.containerId)) : new Map<string, string>();
    const rows = items.map(
      (m, i): ContainerMetricRow => ({
        host_id: agent.hostId,
        container_id: ids.get(m.containerId.slice(0, 12))!,
        ts: toMillisIso(stamps[i]),
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
    await this.kinds.store(this.type, rows, rows.length * ROW_BYTES, () => this.publish(rows));
  }

  /** Live push per container once the buffer took the rows (TelemetryKinds keeps it best effort). */
  private publish(rows: ContainerMetricRow[]): void {
    publishByContainer(this.bus, 'metrics', containerMetricsTopic, rows, (row) => ({
      containerId: row.container_id,
      ts: row.ts,
      cpuPercent: row.cpu_percent,
      memoryUsed: row.memory_used,
      memoryLimit: row.memory_limit,
      networkRx: row.network_rx,
      networkTx: row.network_tx,
      blockRead: row.block_read,
      blockWrite: row.block_write,
      pids: row.pids,
    }));
  }
}
