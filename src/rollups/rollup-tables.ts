import { defineTimeSeriesTable } from '../database/time-series-tables.js';
import { ROLLUPS_RETENTION } from '../time-series/metrics-retention.js';

export { ROLLUPS_RETENTION };

defineTimeSeriesTable('container_metrics_1m', ROLLUPS_RETENTION);
defineTimeSeriesTable('host_metrics_1m', ROLLUPS_RETENTION);
