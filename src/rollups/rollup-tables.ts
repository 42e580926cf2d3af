import { defineRetention } from '../config/retention-setting.js';
import { defineTimeSeriesTable } from '../database/time-series-tables.js';

/** The per-minute tier of both metric kinds, kept longer than the raw samples. */
export const ROLLUPS_RETENTION = defineRetention({ name: 'rollups', variable: 'RETENTION_ROLLUPS', default: '30d' });

defineTimeSeriesTable('container_metrics_1m', ROLLUPS_RETENTION);
defineTimeSeriesTable('host_metrics_1m', ROLLUPS_RETENTION);
