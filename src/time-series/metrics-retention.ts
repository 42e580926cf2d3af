import { defineRetention } from '../config/retention-setting.js';

/** Container and host samples share one retention. */
export const METRICS_RETENTION = defineRetention({ name: 'metrics', variable: 'RETENTION_METRICS', default: '24h' });

/** The per-minute tier of both metric kinds, kept longer than the raw samples. */
export const ROLLUPS_RETENTION = defineRetention({ name: 'rollups', variable: 'RETENTION_ROLLUPS', default: '30d' });

/** The hourly tier, folded from the per-minute one. */
export const ROLLUPS_HOURLY_RETENTION = defineRetention({ name: 'rollupsHourly', variable: 'RETENTION_ROLLUPS_HOURLY', default: '400d' });

/** The daily tier, folded from the hourly one. */
export const ROLLUPS_DAILY_RETENTION = defineRetention({ name: 'rollupsDaily', variable: 'RETENTION_ROLLUPS_DAILY', default: '1825d' });
