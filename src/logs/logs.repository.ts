import { Injectable } from '@nestjs/common';
import { BulkInsertSink } from '../buffer/bulk-insert.sink.js';
import { SqlClient } from '../database/sql-client.js';

export interface LogRow {
  host_id: string;
  container_id: string;
  ts: string;
  nanos: number;
  stream: string;
  /** -1 when the agent sent no ordinal. */
  n: number;
  line: string;
  truncated: boolean;
}

/**
 * Bulk writer of container_logs. Natural key (container_id, ts, nanos, stream, n, line_hash): a line
 * with an ordinal is identified by it (line_hash nil), one without by the md5 of its text (n = -1).
 */
@Injectable()
export class LogsRepository extends BulkInsertSink<LogRow> {
  constructor(sql: SqlClient) {
    super(
      'logs',
      sql,
      'container_logs',
      { host_id: 'uuid', container_id: 'uuid', ts: 'timestamptz', nanos: 'int4', stream: 'text', n: 'int4', line: 'text', truncated: 'bool' },
      { line_hash: `CASE WHEN n < 0 THEN md5(line)::uuid ELSE '00000000-0000-0000-0000-000000000000'::uuid END` },
    );
  }
}
