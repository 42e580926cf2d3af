import type { RetentionSetting } from '../config/retention-setting.js';

export const DAY_MS = 86_400_000;

/** A range-partitioned table, the retention that bounds it and the width of its partitions. */
export interface TimeSeriesTable {
  table: string;
  setting: RetentionSetting;
  /** The setting's variable, e.g. `RETENTION_METRICS`. */
  retention: RetentionSetting['variable'];
  /** Whole days; partitions cover [k·width, (k+1)·width) since the Unix epoch (UTC). */
  partitionMs: number;
}

/** Every declared time-series table; the partition manager, retention job and storage health read it. */
export const TIME_SERIES_TABLES: readonly TimeSeriesTable[] = [];

/** Declares a partitioned table (at import time, by the folder that owns it); one partition per UTC day unless told. */
export function defineTimeSeriesTable(table: string, setting: RetentionSetting, partitionMs = DAY_MS): TimeSeriesTable {
  if (partitionMs <= 0 || partitionMs % DAY_MS !== 0) throw new Error(`Time-series table ${table}: partitions must be whole days`);
  const tables = TIME_SERIES_TABLES as TimeSeriesTable[];
  const existing = tables.find((t) => t.table === table);
  if (existing) {
    if (existing.setting !== setting || existing.partitionMs !== partitionMs) {
      throw new Error(`Time-series table ${table} is already declared with ${existing.retention}`);
    }
    return existing;
  }
  const declared = { table, setting, retention: setting.variable, partitionMs };
  tables.push(declared);
  return declared;
}
