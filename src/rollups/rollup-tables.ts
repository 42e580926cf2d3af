import { DAY_MS, defineTimeSeriesTable } from '../database/time-series-tables.js';
import { ROLLUPS_DAILY_RETENTION, ROLLUPS_HOURLY_RETENTION, ROLLUPS_RETENTION } from '../time-series/metrics-retention.js';

export { ROLLUPS_DAILY_RETENTION, ROLLUPS_HOURLY_RETENTION, ROLLUPS_RETENTION };

/**
 * Partition widths keep a tier's retention to about a dozen partitions (creating them at start-up,
 * catalog space and planning grow with their number) while a tier keeps at most one width past its
 * retention, under a tenth of it: 400 d of hours in 30-day partitions is 14, 1825 d of days in
 * 180-day partitions 11. Each partition holds 720 hourly or 180 daily rows per series.
 */
export const HOURLY_PARTITION_MS = 30 * DAY_MS;
export const DAILY_PARTITION_MS = 180 * DAY_MS;

for (const kind of ['container', 'host']) {
  defineTimeSeriesTable(`${kind}_metrics_1m`, ROLLUPS_RETENTION);
  defineTimeSeriesTable(`${kind}_metrics_1h`, ROLLUPS_HOURLY_RETENTION, HOURLY_PARTITION_MS);
  defineTimeSeriesTable(`${kind}_metrics_1d`, ROLLUPS_DAILY_RETENTION, DAILY_PARTITION_MS);
}
