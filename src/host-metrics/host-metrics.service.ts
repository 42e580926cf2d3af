import { Injectable } from '@nestjs/common';
import { EPOCH_MS, toMillisIso, type Timestamp } from '../common/timestamp.js';
import { EventBus } from '../events/event-bus.js';
import type { AgentContext } from '../ingest/frame-handler.js';
import { SeriesKindHandler } from '../ingest/series-kind.handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import type { HostMetricDto } from './dto/host-metrics-frame.dto.js';
import { HOST_METRICS_KIND } from './host-metrics.kind.js';
import { HostMetricsRepository, type HostMetricRow } from './host-metrics.repository.js';

const ROW_BYTES = 200;

/** `host_metrics` frames: samples of the machine itself. */
@Injectable()
@HandlesKind(HOST_METRICS_KIND)
export class HostMetricsService extends SeriesKindHandler<HostMetricDto, HostMetricRow> {
  constructor(
    kinds: TelemetryKinds,
    repository: HostMetricsRepository,
    private readonly bus: EventBus,
  ) {
    super(HOST_METRICS_KIND, kinds, repository);
  }

  protected toRows(agent: AgentContext, items: HostMetricDto[], stamps: Timestamp[]) {
    const rows = items.map(
      (m, i): HostMetricRow => ({
        host_id: agent.hostId,
        ts: toMillisIso(stamps[i]),
        [EPOCH_MS]: stamps[i].ms,
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
    return { rows, bytes: rows.length * ROW_BYTES };
  }

  protected publish({ hostId }: AgentContext, rows: HostMetricRow[]): void {
    const topic = HOST_METRICS_KIND.live!.of(hostId);
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
