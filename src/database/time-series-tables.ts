import type { Environment } from '../config/environment.js';

export type RetentionKey = keyof Pick<Environment, 'RETENTION_METRICS' | 'RETENTION_LOGS' | 'RETENTION_PROCESSES' | 'RETENTION_ROLLUPS'>;

/** The range-partitioned tables and the retention setting that bounds each. */
export const TIME_SERIES_TABLES: ReadonlyArray<{ table: string; retention: RetentionKey }> = [
  { table: 'container_metrics', retention: 'RETENTION_METRICS' },
  { table: 'host_metrics', retention: 'RETENTION_METRICS' },
  { table: 'container_logs', retention: 'RETENTION_LOGS' },
  { table: 'process_samples', retention: 'RETENTION_PROCESSES' },
  { table: 'container_metrics_1m', retention: 'RETENTION_ROLLUPS' },
  { table: 'host_metrics_1m', retention: 'RETENTION_ROLLUPS' },
];
