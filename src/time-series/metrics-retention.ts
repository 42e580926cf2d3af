import { defineRetention } from '../config/retention-setting.js';

/** Container and host samples share one retention. */
export const METRICS_RETENTION = defineRetention({ name: 'metrics', variable: 'RETENTION_METRICS', default: '24h' });

/** The per-minute tier of both metric kinds, kept longer than the raw samples. */
export const ROLLUPS_RETENTION = defineRetention({ name: 'rollups', variable: 'RETENTION_ROLLUPS', default: '30d' });
