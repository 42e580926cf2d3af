import { defineRetention } from '../config/retention-setting.js';
import { defineLiveTopic } from '../events/live-topic.js';
import { describeKind } from '../ingest/telemetry-kind.js';
import { ContainerEventsFrameDto } from './dto/container-events-frame.dto.js';

export const CONTAINER_EVENTS_KIND = describeKind({
  type: 'container_events',
  dto: ContainerEventsFrameDto,
  summary: 'Engine events of containers (start, die with its exit code, oom, health_status with the new health, …).',
  retention: defineRetention({ name: 'events', variable: 'RETENTION_EVENTS', default: '7d' }),
  tables: ['container_events'],
  live: defineLiveTopic('container', 'events'),
});
