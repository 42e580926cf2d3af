import { bucketStart, lagColumns } from '../time-series/counters.js';
import type { RollupSpec } from './rollup-specs.js';

const minuteOf = (ts: string) => bucketStart(`interval '1 minute'`, ts);

/** A period key of a row's ts, as the service marks periods dirty. */
export const periodKeyOf = (ts: string) => `to_char(${ts} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI')`;

/**
 * `SELECT <key>, <carried>, <period>, <aggregates> FROM <source> GROUP BY <key>, <carried>, <period>`
 * upserted into `table`. Every column is recomputed, so a replay changes nothing; a row whose values
 * did not change is not rewritten (no dead tuple), and with `returning` the rows that did change
 * come back as (key, period), for the next tier to mark.
 */
export function upsert(spec: RollupSpec, table: string, aggregates: Readonly<Record<string, string>>, from: string, period: string, returning = false): string {
  const { key, carried } = spec;
  const group = [key, ...carried, period];
  const columns = [...carried, ...Object.keys(aggregates)];
  const tuple = (prefix: string) => `(${columns.map((column) => `${prefix}.${column}`).join(', ')})`;
  return `INSERT INTO ${table} AS t (${[key, ...carried, 'ts', ...Object.keys(aggregates)].join(', ')})
    SELECT ${group.join(', ')}, ${Object.values(aggregates).join(', ')}
    FROM ${from}
    GROUP BY ${group.join(', ')}
    ON CONFLICT (${key}, ts) DO UPDATE SET ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
    WHERE ${tuple('t')} IS DISTINCT FROM ${tuple('EXCLUDED')}${returning ? `
    RETURNING t.${key} AS key, ${periodKeyOf('t.ts')} AS period` : ''}`;
}

const minutesUpsert = (spec: RollupSpec, returning = false) => upsert(spec, spec.table, spec.aggregates, 'lagged WHERE inside', 'minute', returning);

/**
 * Recomputes the given (series, minute) pairs from raw samples ($1 keys, $2 minute starts, paired
 * by position), returning the minutes that changed. Each minute is read through the primary key
 * together with the one sample before it (an index-backed `ORDER BY ts DESC LIMIT 1`), whose
 * counters the first delta needs. A sample
 * arriving late also changes the delta of the sample after it: when that one lies in a later
 * minute, it is the first sample after the dirty minute, so that minute is recomputed too.
 *
 * The shape keeps PostgreSQL from sorting all the minutes' rows at once: targets come in key order
 * and each minute's samples in time order, so the window only sorts within one minute (in memory),
 * and its partition (key, carried, minute) is the upsert's grouping, which then needs no sort of
 * its own. 100 minutes of 6,000 samples: 2.1-2.8 s before, 1.6-1.8 s after (2026-12-03).
 */
export function recomputeSql(spec: RollupSpec): string {
  const { raw, key } = spec;
  const columns = ['ts', ...spec.carried, ...spec.columns].map((column) => `r.${column}`).join(', ');
  return `WITH dirty AS (
      SELECT DISTINCT d.key, d.minute FROM unnest($1::uuid[], $2::timestamptz[]) AS d(key, minute)
    ), targets AS (
      SELECT key, minute FROM dirty
      UNION
      SELECT d.key, ${minuteOf('n.ts')} FROM dirty d
      CROSS JOIN LATERAL (
        SELECT r.ts FROM ${raw} r WHERE r.${key} = d.key AND r.ts >= d.minute + interval '1 minute' ORDER BY r.ts LIMIT 1
      ) n
      ORDER BY 1, 2
    ), samples AS (
      SELECT t.key AS ${key}, t.minute, s.* FROM targets t
      CROSS JOIN LATERAL (
        (SELECT false AS inside, ${columns} FROM ${raw} r WHERE r.${key} = t.key AND r.ts < t.minute ORDER BY r.ts DESC LIMIT 1)
        UNION ALL
        (SELECT true, ${columns} FROM ${raw} r WHERE r.${key} = t.key AND r.ts >= t.minute AND r.ts < t.minute + interval '1 minute' ORDER BY r.ts)
      ) s
    ), lagged AS (
      SELECT *, ${lagColumns(spec.counters)} FROM samples WINDOW w AS (PARTITION BY ${[key, ...spec.carried].join(', ')}, minute ORDER BY ts)
    )
    ${minutesUpsert(spec, true)}`;
}

/**
 * Recomputes every minute of [$1, $2) (whole minutes) from raw samples in one statement. Each
 * series of the inventory is read through the primary key, with the one sample before the range
 * its first delta needs, so an hour costs that hour's rows, not a scan of its whole day partition.
 * (Samples of series no longer in the inventory, e.g. of a deleted host, are not readable anyway.)
 */
export function rebuildSql(spec: RollupSpec): string {
  const { raw, key } = spec;
  const columns = ['ts', key, ...spec.carried, ...spec.columns].map((column) => `r.${column}`).join(', ');
  return `WITH samples AS (
      SELECT s.* FROM ${spec.inventory} i
      CROSS JOIN LATERAL (
        (SELECT false AS inside, ${columns} FROM ${raw} r WHERE r.${key} = i.id AND r.ts < $1 ORDER BY r.ts DESC LIMIT 1)
        UNION ALL
        SELECT true, ${columns} FROM ${raw} r WHERE r.${key} = i.id AND r.ts >= $1 AND r.ts < $2
      ) s
    ), lagged AS (
      SELECT *, ${minuteOf('ts')} AS minute, ${lagColumns(spec.counters)} FROM samples WINDOW w AS (PARTITION BY ${key} ORDER BY ts)
    )
    ${minutesUpsert(spec)}`;
}

/**
 * The (series, minute) pairs with raw samples since $1, as 'YYYY-MM-DDTHH:MI' minute keys. Walks
 * each host's (host_id, ts) index rather than scanning today's partition.
 */
export function recentMinutesSql(spec: RollupSpec): string {
  return `SELECT DISTINCT r.${spec.key} AS key, ${periodKeyOf(minuteOf('r.ts'))} AS period
    FROM hosts h CROSS JOIN LATERAL (SELECT ${spec.key}, ts FROM ${spec.raw} WHERE host_id = h.id AND ts >= $1) r`;
}
