import { bucketStart, lagColumns } from './counters.js';

/** A timestamptz as the API prints it (ISO 8601 UTC with milliseconds), formatted by the database. */
export const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A bigint or numeric as a JSON number. Byte counts are below 2^53, where float8 is exact; sums of
 * deltas may pass it (then float8 is as close as JSON can be) but stay far below float8's range.
 */
export const num = (expression: string) => `(${expression})::float8`;

/**
 * Buckets of one series' raw samples: $1 the series, [$2, $3) the range, $4 the width (interval),
 * $5 the most buckets, newest first. The sample just before $2 is read too, for the first delta.
 * `aggregates` maps output names to expressions over the samples and their `<counter>_prev`.
 */
export function rawBucketsSql(
  table: string,
  key: string,
  columns: readonly string[],
  counters: readonly string[],
  aggregates: Record<string, string>,
): string {
  const selected = ['ts', ...columns].join(', ');
  return `WITH samples AS (
      (SELECT false AS inside, ${selected} FROM ${table} WHERE ${key} = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1)
      UNION ALL
      SELECT true, ${selected} FROM ${table} WHERE ${key} = $1 AND ts >= $2 AND ts < $3
    ), lagged AS (
      SELECT *, ${lagColumns(counters)} FROM samples WINDOW w AS (ORDER BY ts)
    )
    ${bucketsOf('lagged WHERE inside', aggregates)}`;
}

/** Buckets of one series' rows of a rollup tier, with the same parameters as rawBucketsSql. */
export function rollupBucketsSql(table: string, key: string, aggregates: Record<string, string>): string {
  return bucketsOf(`${table} WHERE ${key} = $1 AND ts >= $2 AND ts < $3`, aggregates);
}

/**
 * The same when the width is the tier's own: each row is its bucket, so `columns` (the outputs of
 * the aggregates, over one row) are read straight off it in primary key order, with no grouping,
 * date_bin or sort ($4 is unused).
 */
export function rollupRowsSql(table: string, key: string, columns: Record<string, string>): string {
  const selected = Object.entries(columns).map(([name, expression]) => `${expression} AS "${name}"`);
  return `SELECT ${isoText('ts')} AS ts, ${selected.join(', ')}
    FROM ${table} WHERE ${key} = $1 AND ts >= $2 AND ts < $3 AND $4::interval IS NOT NULL ORDER BY ts DESC LIMIT $5`;
}

function bucketsOf(source: string, aggregates: Record<string, string>): string {
  const bucket = bucketStart('$4::interval');
  const names = Object.keys(aggregates).map((name) => `"${name}"`);
  const computed = Object.entries(aggregates).map(([name, expression]) => `${expression} AS "${name}"`);
  return `SELECT ${isoText('bucket')} AS ts, ${names.join(', ')} FROM (
      SELECT ${bucket} AS bucket, ${computed.join(', ')}
      FROM ${source} GROUP BY 1 ORDER BY 1 DESC LIMIT $5
    ) buckets ORDER BY bucket DESC`;
}
