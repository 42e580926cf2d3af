import { defineLiveTopic } from '../events/live-topic.js';
import { describeKind } from '../ingest/telemetry-kind.js';
import { METRICS_RETENTION } from '../time-series/metrics-retention.js';
import { HostMetricsFrameDto } from './dto/host-metrics-frame.dto.js';

export const HOST_METRICS_KIND = describeKind({
  type: 'host_metrics',
  dto: HostMetricsFrameDto,
  summary: 'Samples of the machine itself: cpu, load, memory, disk, network.',
  retention: METRICS_RETENTION,
  tables: ['host_metrics'],
  live: defineLiveTopic('host', 'metrics'),
});
