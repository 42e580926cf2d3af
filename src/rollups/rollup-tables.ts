import { DAY_MS, defineTimeSeriesTable } from '../database/time-series-tables.js';
import { ROLLUPS_DAILY_RETENTION, ROLLUPS_HOURLY_RETENTION, ROLLUPS_RETENTION } from '../time-series/metrics-retention.js';

export { ROLLUPS_DAILY_RETENTION, ROLLUPS_HOURLY_RETENTION, ROLLUPS_RETENTION };

/**
 * Partition widths keep a tier's retention to tens of partitions (planning and catalog cost grow
 * with their number) while a dropped partition is a small share of the window: 400 d of hours in
 * 7-day partitions is ~58, 1825 d of days in 90-day partitions ~21. Each partition then holds
 * 168 rows (hours) or 90 rows (days) per series. Widths are aligned to the epoch (a Thursday).
 */
export const HOURLY_PARTITION_MS = 7 * DAY_MS;
export const DAILY_PARTITION_MS = 90 * DAY_MS;

for (const kind of ['container', 'host']) {
  defineTimeSeriesTable(`${kind}_metrics_1m`, ROLLUPS_RETENTION);
  defineTimeSeriesTable(`${kind}_metrics_1h`, ROLLUPS_HOURLY_RETENTION, HOURLY_PARTITION_MS);
  defineTimeSeriesTable(`${kind}_metrics_1d`, ROLLUPS_DAILY_RETENTION, DAILY_PARTITION_MS);
}
