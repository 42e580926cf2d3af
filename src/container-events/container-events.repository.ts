import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import { BulkInsertSink } from '../buffer/bulk-insert.sink.js';

export interface ContainerEventRow {
  host_id: string;
  container_id: string;
  ts: string;
  action: string;
  exit_code: number | null;
  health: string | null;
}

/** Bulk writer of container_events; natural key (container_id, ts, action). */
@Injectable()
export class ContainerEventsRepository extends BulkInsertSink<ContainerEventRow> {
  constructor(sql: SqlClient) {
    super('container_events', sql, 'container_events', {
      host_id: 'uuid',
      container_id: 'uuid',
      ts: 'timestamptz',
      action: 'text',
      exit_code: 'int4',
      health: 'text',
    });
  }
}
