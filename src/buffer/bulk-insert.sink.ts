import { isDataError, isUniqueViolation } from '../database/database-errors.js';
import type { SqlClient } from '../database/sql-client.js';
import type { BufferSink } from './buffer-sink.js';
import { binaryCopyWriter } from './copy-binary.js';
import { COPY_PIECE_BYTES, copyWriter, isCopyable } from './copy-text.js';

const quote = (name: string) => `"${name}"`;

/**
 * Writes a whole flush as ONE statement on either engine: the rows travel as a single JSON
 * parameter (JSON.stringify is native and fast) unpacked by json_to_recordset, and
 * ON CONFLICT DO NOTHING on the table's natural key makes a replayed frame store nothing twice.
 * Rows are plain objects keyed by column name. `computed` adds columns derived in SQL.
 *
 * On PostgreSQL, a table of plain numbers, ids and timestamps (no `computed`) is loaded with COPY
 * instead, which costs the server about half as much per row (README, "Ingest"). COPY has no
 * ON CONFLICT: when some rows are stored already (an agent resending after a reconnect) the whole
 * COPY is refused, nothing of it is kept, and the same rows go through the INSERT. COPY goes in
 * binary when every value of the batch is exactly what its column holds (copy-binary.ts), in text
 * otherwise, so a value PostgreSQL refuses is reported by PostgreSQL, as before.
 */
export class BulkInsertSink<Row extends object> implements BufferSink<Row> {
  private readonly statement: string;
  private readonly copyStatement?: string;
  private readonly copyText?: (rows: readonly object[]) => Buffer[];
  private readonly copyBinaryStatement?: string;
  private readonly copyBinary?: (rows: readonly object[]) => Buffer[] | undefined;

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
    if (!Object.keys(computed).length && isCopyable(Object.values(columns))) {
      this.copyStatement = `COPY ${quote(table)} (${names.map(quote).join(', ')}) FROM STDIN`;
      this.copyText = copyWriter(columns);
      this.copyBinaryStatement = `${this.copyStatement} (FORMAT binary)`;
      this.copyBinary = binaryCopyWriter(columns, COPY_PIECE_BYTES);
    }
  }

  async write(rows: Row[]): Promise<void> {
    const ingest = this.sql.ingest;
    if (this.copyStatement && ingest.canCopy) {
      try {
        const binary = this.copyBinary!(rows);
        if (binary) return await ingest.copyIn(this.copyBinaryStatement!, binary);
        return await ingest.copyIn(this.copyStatement, this.copyText!(rows));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    await ingest.query(this.statement, [JSON.stringify(rows)]);
  }

  /** A data exception or integrity violation is about the rows: the buffer splits the batch to refuse only the frames at fault. */
  refusesRows(error: unknown): boolean {
    return isDataError(error);
  }
}
