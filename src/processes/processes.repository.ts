import { Injectable } from '@nestjs/common';
import { BulkInsertSink } from '../buffer/bulk-insert.sink.js';
import { SqlClient } from '../database/sql-client.js';

export interface ProcessRow {
  host_id: string;
  ts: string;
  pid: number;
  ppid: number;
  name: string;
  command: string;
  user: string;
  cpu_percent: number;
  memory_rss: number;
  memory_percent: number;
  threads: number;
  state: string;
}

/** Bulk writer of process_samples; natural key (host_id, ts, pid). */
@Injectable()
export class ProcessesRepository extends BulkInsertSink<ProcessRow> {
  constructor(sql: SqlClient) {
    super('processes', sql, 'process_samples', {
      host_id: 'uuid',
      ts: 'timestamptz',
      pid: 'int4',
      ppid: 'int4',
      name: 'text',
      command: 'text',
      user: 'text',
      cpu_percent: 'float8',
      memory_rss: 'int8',
      memory_percent: 'float8',
      threads: 'int4',
      state: 'text',
    });
  }
}
