import { defineRetention } from '../config/retention-setting.js';
import { defineLiveTopic } from '../events/live-topic.js';
import { describeKind } from '../ingest/telemetry-kind.js';
import { LogsFrameDto } from './dto/logs-frame.dto.js';

export const LOGS_KIND = describeKind({
  type: 'logs',
  dto: LogsFrameDto,
  summary: 'Container log lines, with their stream and per-timestamp ordinal `n`.',
  retention: defineRetention({ name: 'logs', variable: 'RETENTION_LOGS', default: '24h' }),
  tables: ['container_logs'],
  live: defineLiveTopic('container', 'logs'),
});
