import { isDataError } from '../database/database-errors.js';
import type { SqlClient } from '../database/sql-client.js';
import type { BufferSink } from './buffer-sink.js';

const quote = (name: string) => `"${name}"`;

/**
 * Writes a whole flush as ONE statement on either engine: the rows travel as a single JSON
 * parameter (JSON.stringify is native and fast) unpacked by json_to_recordset, and
 * ON CONFLICT DO NOTHING on the table's natural key makes a replayed frame store nothing twice.
 * Rows are plain objects keyed by column name. `computed` adds columns derived in SQL.
 */
export class BulkInsertSink<Row extends object> implements BufferSink<Row> {
  private readonly statement: string;

  constructor(
    readonly kind: string,
    private readonly sql: SqlClient,
    table: string,
    columns: Record<keyof Row & string, string>,
    computed: Record<string, string> = {},
  ) {
    const names = Object.keys(columns);
    const definitions = Object.entries(columns).map(([name, type]) => `${quote(name)} ${type}`);
    const target = [...names, ...Object.keys(computed)].map(quote).join(', ');
    const source = [...names.map(quote), ...Object.values(computed)].join(', ');
    this.statement =
      `INSERT INTO ${quote(table)} (${target}) SELECT ${source} ` +
      `FROM json_to_recordset($1::json) AS r(${definitions.join(', ')}) ON CONFLICT DO NOTHING`;
  }

  async write(rows: Row[]): Promise<void> {
    await this.sql.ingest.query(this.statement, [JSON.stringify(rows)]);
  }

  /** A data exception or integrity violation is about the rows: the buffer splits the batch to refuse only the frames at fault. */
  refusesRows(error: unknown): boolean {
    return isDataError(error);
  }
}
