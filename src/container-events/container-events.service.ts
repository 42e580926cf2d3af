import { Injectable } from '@nestjs/common';
import { toMicrosIso, type Timestamp } from '../common/timestamp.js';
import { ContainersService } from '../containers/containers.service.js';
import { EventBus } from '../events/event-bus.js';
import { publishByContainer } from '../events/publish-by-container.js';
import type { AgentContext } from '../ingest/frame-handler.js';
import { SeriesKindHandler } from '../ingest/series-kind.handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import { CONTAINER_EVENTS_KIND } from './container-events.kind.js';
import { ContainerEventsRepository, type ContainerEventRow } from './container-events.repository.js';
import { toContainerEventView } from './dto/container-event.view.js';
import type { ContainerEventDto } from './dto/container-events-frame.dto.js';

const ROW_BYTES = 150;

/** `container_events` frames: what the engine reported about each container, buffered and written in bulk. */
@Injectable()
@HandlesKind(CONTAINER_EVENTS_KIND)
export class ContainerEventsService extends SeriesKindHandler<ContainerEventDto, ContainerEventRow> {
  constructor(
    kinds: TelemetryKinds,
    repository: ContainerEventsRepository,
    private readonly containers: ContainersService,
    private readonly bus: EventBus,
  ) {
    super(CONTAINER_EVENTS_KIND, kinds, repository);
  }

  protected async toRows(agent: AgentContext, items: ContainerEventDto[], stamps: Timestamp[]) {
    const ids = items.length ? await this.containers.resolve(agent.hostId, items.map((e) => e.containerId)) : new Map<string, string>();
    const rows = items.map(
      (e, i): ContainerEventRow => ({
        host_id: agent.hostId,
        container_id: ids.get(e.containerId.slice(0, 12))!,
        ts: toMicrosIso(stamps[i]),
        action: e.action,
        exit_code: e.exitCode ?? null,
        health: e.health ?? null,
      }),
    );
    return { rows, bytes: rows.length * ROW_BYTES };
  }

  protected publish(_agent: AgentContext, rows: ContainerEventRow[]): void {
    publishByContainer(this.bus, CONTAINER_EVENTS_KIND.type, CONTAINER_EVENTS_KIND.live!.of, rows, (row) =>
      JSON.stringify({ containerId: row.container_id, ...toContainerEventView({ ts: row.ts, action: row.action, exitCode: row.exit_code, health: row.health }) }),
    );
  }
}
