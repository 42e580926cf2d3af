import { Injectable } from '@nestjs/common';
import { BulkInsertSink } from '../buffer/bulk-insert.sink.js';
import { EPOCH_MS } from '../common/timestamp.js';
import { SqlClient } from '../database/sql-client.js';
import { RollupService } from '../rollups/rollup.service.js';

export interface HostMetricRow {
  host_id: string;
  ts: string;
  cpu_percent: number;
  load1: number;
  load5: number;
  load15: number;
  memory_used: number;
  memory_total: number;
  disk_used: number;
  disk_total: number;
  network_rx: number;
  network_tx: number;
  /** `ts` as a number, for readers of committed rows; not a column. */
  [EPOCH_MS]?: number;
}

/** Bulk writer of host_metrics; natural key (host_id, ts). */
@Injectable()
export class HostMetricsRepository extends BulkInsertSink<HostMetricRow> {
  constructor(
    sql: SqlClient,
    private readonly rollups: RollupService,
  ) {
    super('host_metrics', sql, 'host_metrics', {
      host_id: 'uuid',
      ts: 'timestamptz',
      cpu_percent: 'float8',
      load1: 'float8',
      load5: 'float8',
      load15: 'float8',
      memory_used: 'int8',
      memory_total: 'int8',
      disk_used: 'int8',
      disk_total: 'int8',
      network_rx: 'int8',
      network_tx: 'int8',
    });
  }

  /** After the commit, the minutes it touched are marked for the rollup worker (before the frame is acked). */
  override async write(rows: HostMetricRow[]): Promise<void> {
    await super.write(rows);
    this.rollups.touched('host', rows, (row) => row.host_id);
  }
}
