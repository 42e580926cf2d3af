import type { RetentionSetting } from '../config/retention-setting.js';

/** A range-partitioned table (one partition per UTC day) and the retention that bounds it. */
export interface TimeSeriesTable {
  table: string;
  setting: RetentionSetting;
  /** The setting's variable, e.g. `RETENTION_METRICS`. */
  retention: RetentionSetting['variable'];
}

/** Every declared time-series table; the partition manager, retention job and storage health read it. */
export const TIME_SERIES_TABLES: readonly TimeSeriesTable[] = [];

/** Declares a partitioned table (at import time, by the folder that owns it). */
export function defineTimeSeriesTable(table: string, setting: RetentionSetting): TimeSeriesTable {
  const tables = TIME_SERIES_TABLES as TimeSeriesTable[];
  const existing = tables.find((t) => t.table === table);
  if (existing) {
    if (existing.setting !== setting) throw new Error(`Time-series table ${table} is already declared with ${existing.retention}`);
    return existing;
  }
  const declared = { table, setting, retention: setting.variable };
  tables.push(declared);
  return declared;
}
