import { Injectable, OnModuleInit } from '@nestjs/common';
import { toMillisIso } from '../common/timestamp.js';
import { EventBus, hostMetricsTopic } from '../events/event-bus.js';
import type { AgentContext, FrameHandler } from '../ingest/frame-handler.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
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
    private readonly kinds: TelemetryKinds,
    private readonly repository: HostMetricsRepository,
    private readonly bus: EventBus,
  ) {
    this.retentionMs = kinds.retentionMs('RETENTION_METRICS');
  }

  onModuleInit(): void {
    this.kinds.register(this, this.repository);
  }

  async handle(agent: AgentContext, frame: HostMetricsFrameDto): Promise<void> {
    const { items, stamps } = this.kinds.fresh(this.type, frame.data, this.retentionMs);
    const rows = items.map(
      (m, i): HostMetricRow => ({
        host_id: agent.hostId,
        ts: toMillisIso(stamps[i]),
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
    await this.kinds.store(this.type, rows, rows.length * ROW_BYTES, () => this.publish(agent.hostId, rows));
  }

  /** Live push to the host's dashboards once the buffer took the rows (TelemetryKinds keeps it best effort). */
  private publish(hostId: string, rows: HostMetricRow[]): void {
    const topic = hostMetricsTopic(hostId);
    if (!rows.length || !this.bus.hasSubscribers(topic)) return;
    const data = rows.map((row) => ({
      hostId,
      ts: row.ts,
      cpuPercent: row.cpu_percent,
      load1: row.load1,
      load5: row.load5,
      load15: row.load15,
      memoryUsed: row.memory_used,
      memoryTotal: row.memory_total,
      diskUsed: row.disk_used,
      diskTotal: row.disk_total,
      networkRx: row.network_rx,
      networkTx: row.network_tx,
    }));
    this.bus.publish(topic, { type: 'host_metrics', data });
  }
}
