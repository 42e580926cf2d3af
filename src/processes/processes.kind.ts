import { defineRetention } from '../config/retention-setting.js';
import { describeKind } from '../ingest/telemetry-kind.js';
import { ProcessesFrameDto } from './dto/processes-frame.dto.js';

export const PROCESSES_KIND = describeKind({
  type: 'processes',
  dto: ProcessesFrameDto,
  summary: "One snapshot of the host's process table, stamped `ts`.",
  retention: defineRetention({ name: 'processes', variable: 'RETENTION_PROCESSES', default: '24h' }),
  tables: ['process_samples'],
});
