import { Injectable } from '@nestjs/common';
import { EPOCH_MS, toMillisIso, type Timestamp } from '../common/timestamp.js';
import { ContainersService } from '../containers/containers.service.js';
import { EventBus } from '../events/event-bus.js';
import { publishByContainer } from '../events/publish-by-container.js';
import type { AgentContext } from '../ingest/frame-handler.js';
import { SeriesKindHandler } from '../ingest/series-kind.handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import type { ContainerMetricDto } from './dto/metrics-frame.dto.js';
import { METRICS_KIND } from './metrics.kind.js';
import { MetricsRepository, type ContainerMetricRow } from './metrics.repository.js';

const ROW_BYTES = 200;

/** `metrics` frames: container samples, buffered and written in bulk. */
@Injectable()
@HandlesKind(METRICS_KIND)
export class MetricsService extends SeriesKindHandler<ContainerMetricDto, ContainerMetricRow> {
  constructor(
    kinds: TelemetryKinds,
    repository: MetricsRepository,
    private readonly containers: ContainersService,
    private readonly bus: EventBus,
  ) {
    super(METRICS_KIND, kinds, repository);
  }

  protected async toRows(agent: AgentContext, items: ContainerMetricDto[], stamps: Timestamp[]) {
    const ids = items.length ? await this.containers.resolve(agent.hostId, items.map((m) => m.containerId)) : new Map<string, string>();
    const rows = items.map(
      (m, i): ContainerMetricRow => ({
        host_id: agent.hostId,
        container_id: ids.get(m.containerId.slice(0, 12))!,
        ts: toMillisIso(stamps[i]),
        [EPOCH_MS]: stamps[i].ms,
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
    return { rows, bytes: rows.length * ROW_BYTES };
  }

  protected publish(_agent: AgentContext, rows: ContainerMetricRow[]): void {
    publishByContainer(this.bus, 'metrics', METRICS_KIND.live!.of, rows, liveMetricJson);
  }
}

/**
 * One row as a live `metrics` item (JSON text). Every value is a validated finite number, a UUID or
 * an ISO time, so none needs escaping, and a finite number prints in a template as JSON.stringify prints it.
 */
export function liveMetricJson(row: ContainerMetricRow): string {
  return (
    `{"containerId":"${row.container_id}","ts":"${row.ts}","cpuPercent":${row.cpu_percent},"memoryUsed":${row.memory_used},"memoryLimit":${row.memory_limit},` +
    `"networkRx":${row.network_rx},"networkTx":${row.network_tx},"blockRead":${row.block_read},"blockWrite":${row.block_write},"pids":${row.pids}}`
  );
}
