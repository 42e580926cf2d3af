import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import { BulkInsertSink } from '../ingest/bulk-insert.sink.js';

export interface LogRow {
  host_id: string;
  container_id: string;
  ts: string;
  nanos: number;
  stream: string;
  line: string;
  truncated: boolean;
}

/** Bulk writer of container_logs; natural key (container_id, ts, nanos, stream, md5(line)). */
@Injectable()
export class LogsRepository extends BulkInsertSink<LogRow> {
  constructor(sql: SqlClient) {
    super(
      'logs',
      sql,
      'container_logs',
      { host_id: 'uuid', container_id: 'uuid', ts: 'timestamptz', nanos: 'int4', stream: 'text', line: 'text', truncated: 'bool' },
      { line_hash: 'md5(line)::uuid' },
    );
  }
}
