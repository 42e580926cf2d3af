import { Injectable } from '@nestjs/common';
import { BulkInsertSink } from '../buffer/bulk-insert.sink.js';
import { EPOCH_MS } from '../common/timestamp.js';
import { SqlClient } from '../database/sql-client.js';
import { RollupService } from '../rollups/rollup.service.js';

export interface ContainerMetricRow {
  host_id: string;
  container_id: string;
  ts: string;
  cpu_percent: number;
  memory_used: number;
  memory_limit: number;
  network_rx: number;
  network_tx: number;
  block_read: number;
  block_write: number;
  pids: number;
  /** `ts` as a number, for readers of committed rows; not a column. */
  [EPOCH_MS]?: number;
}

/** Bulk writer of container_metrics; natural key (container_id, ts). */
@Injectable()
export class MetricsRepository extends BulkInsertSink<ContainerMetricRow> {
  constructor(
    sql: SqlClient,
    private readonly rollups: RollupService,
  ) {
    super('metrics', sql, 'container_metrics', {
      host_id: 'uuid',
      container_id: 'uuid',
      ts: 'timestamptz',
      cpu_percent: 'float8',
      memory_used: 'int8',
      memory_limit: 'int8',
      network_rx: 'int8',
      network_tx: 'int8',
      block_read: 'int8',
      block_write: 'int8',
      pids: 'int4',
    });
  }

  /** After the commit, the minutes it touched are marked for the rollup worker (before the frame is acked). */
  override async write(rows: ContainerMetricRow[]): Promise<void> {
    await super.write(rows);
    this.rollups.touched('container', rows, (row) => row.container_id);
  }
}
