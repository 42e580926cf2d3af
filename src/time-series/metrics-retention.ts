import { defineRetention } from '../config/retention-setting.js';

/** Container and host samples share one retention. */
export const METRICS_RETENTION = defineRetention({ name: 'metrics', variable: 'RETENTION_METRICS', default: '24h' });
