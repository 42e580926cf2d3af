import { defineLiveTopic } from '../events/live-topic.js';
import { describeKind } from '../ingest/telemetry-kind.js';
import { METRICS_RETENTION } from '../time-series/metrics-retention.js';
import { MetricsFrameDto } from './dto/metrics-frame.dto.js';

export const METRICS_KIND = describeKind({
  type: 'metrics',
  dto: MetricsFrameDto,
  summary: 'Container samples: cpu, memory, network and block counters, pids.',
  retention: METRICS_RETENTION,
  tables: ['container_metrics'],
  live: defineLiveTopic('container', 'metrics'),
});
