import { defineRetention } from '../config/retention-setting.js';

/** How long resolved alerts (with their notifications) and ended silences are kept. */
export const ALERTS_RETENTION = defineRetention({ name: 'alerts', variable: 'RETENTION_ALERTS', default: '90d' });
