import { Injectable } from '@nestjs/common';
import { AccessRepository } from '../access/access.repository.js';
import { requireContainer } from '../access/require-access.js';
import { resolveRange, type TimeRangeQuery } from '../time-series/time-range.query.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import { CONTAINER_EVENTS_KIND } from './container-events.kind.js';
import { ContainerEventsQueryRepository } from './container-events-query.repository.js';
import { toContainerEventView, type ContainerEventView } from './dto/container-event.view.js';

/** A container's engine events, newest first, never past RETENTION_EVENTS. */
@Injectable()
export class ContainerEventsQueryService {
  private readonly retentionMs: number;

  constructor(
    private readonly repository: ContainerEventsQueryRepository,
    private readonly access: AccessRepository,
    kinds: TelemetryKinds,
  ) {
    this.retentionMs = kinds.retentionMs(CONTAINER_EVENTS_KIND);
  }

  async list(organizationId: string, containerId: string, query: TimeRangeQuery): Promise<ContainerEventView[]> {
    const range = resolveRange(query, { oldestMs: Date.now() - this.retentionMs, defaultSpanMs: this.retentionMs });
    await requireContainer(this.access, organizationId, containerId);
    return (await this.repository.list(containerId, range)).map(toContainerEventView);
  }
}
