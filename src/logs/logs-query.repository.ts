import { Injectable } from '@nestjs/common';
import { SqlClient, type SqlExecutor } from '../database/sql-client.js';
import type { LogKey } from './log-cursor.js';

/** One search: a container's lines in [from, to) below `after`, optionally of one stream and containing `pattern`. */
export interface LogFilter {
  containerId: string;
  from: Date;
  to: Date;
  stream?: string;
  /** An ILIKE pattern (`%term%`, term escaped), or none. */
  pattern?: string;
  after?: LogKey;
}

export interface LogLineRow extends LogKey {
  line: string;
  truncated: boolean;
}

export interface WalkResult {
  /** Matching lines, newest first, at most `want`. */
  hits: LogLineRow[];
  /** The first line walked, and the last when the walk stopped at its budget (null: range exhausted). */
  first: LogKey | null;
  edge: LogKey | null;
}

const ORDER = 'ts DESC, nanos DESC, stream DESC, n DESC, line_hash DESC';
const COLUMNS = `to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts, nanos, stream, n, line_hash::text AS "lineHash", line, truncated`;
// Planner settings per step, so the plan is the one the step was chosen for whatever the statistics say.
const WALK_PLAN = 'SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off';
const TRIGRAM_PLAN = 'SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = on; SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = on';
const SEARCH_TIMEOUT_MS = 15_000;

/** The filter as SQL conditions, its values appended to `params`; `container` is how container_id is compared. */
function conditions(filter: LogFilter, container: string, params: unknown[]): string {
  const add = (value: unknown) => `$${params.push(value)}`;
  const where = [`${container} = ${add(filter.containerId)}`, `ts >= ${add(filter.from.toISOString())}`, `ts < ${add(filter.to.toISOString())}`];
  if (filter.stream) where.push(`stream = ${add(filter.stream)}`);
  if (filter.after) {
    const { ts, nanos, stream, n, lineHash } = filter.after;
    const at = add(ts);
    // The plain bound on ts lets the planner skip newer partitions; the row comparison is the exact key bound.
    where.push(
      `ts <= ${at}::timestamptz`,
      `(ts, nanos, stream, n, line_hash) < (${at}::timestamptz, ${add(nanos)}::int4, ${add(stream)}::text, ${add(n)}::int4, ${add(lineHash)}::uuid)`,
    );
  }
  return where.join(' AND ');
}

/** Reads container_logs for the logs endpoint (LogsRepository is its bulk writer); callers check access first. */
@Injectable()
export class LogsQueryRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Runs one search's steps in one transaction (one snapshot), bounded by a statement timeout. */
  session<T>(fn: (search: LogSearchSession) => Promise<T>): Promise<T> {
    return this.sql.transaction((tx) => fn(new LogSearchSession(tx)), { timeoutMs: SEARCH_TIMEOUT_MS });
  }
}

export class LogSearchSession {
  constructor(private readonly tx: SqlExecutor) {}

  /**
   * Walks the primary key backwards over at most `budget` lines (null: no bound) and returns up to
   * `want` of them that match, plus the first line walked and the `budget`-th (where the walk stopped).
   */
  async walk(filter: LogFilter, budget: number | null, want: number): Promise<WalkResult> {
    const params: unknown[] = [budget, want];
    const hit = filter.pattern === undefined ? 'true' : `line ILIKE $${params.push(filter.pattern)}`;
    const where = conditions(filter, 'container_id', params);
    await this.tx.exec(WALK_PLAN);
    const rows = await this.tx.query<LogLineRow & { hit: boolean; rn: string | number }>(
      `SELECT ${COLUMNS}, hit, rn FROM (
         SELECT w.*, ${hit} AS hit, row_number() OVER (ORDER BY ${ORDER}) AS rn
         FROM (SELECT ts, nanos, stream, n, line_hash, line, truncated FROM container_logs WHERE ${where} ORDER BY ${ORDER} LIMIT $1) w
       ) x
       WHERE hit OR rn = 1 OR rn = $1
       LIMIT $2::int8 + 2`,
      params,
    );
    const key = ({ ts, nanos, stream, n, lineHash }: LogLineRow): LogKey => ({ ts, nanos, stream, n, lineHash });
    const first = rows.find((row) => Number(row.rn) === 1);
    const edge = budget === null ? undefined : rows.find((row) => Number(row.rn) === budget);
    return {
      hits: rows.filter((row) => row.hit).slice(0, want).map((row) => ({ ...key(row), line: row.line, truncated: row.truncated })),
      first: first ? key(first) : null,
      edge: edge ? key(edge) : null,
    };
  }

  /** The newest `want` matching lines through the trigram index (filter.pattern must be set). */
  async trigram(filter: LogFilter, want: number): Promise<LogLineRow[]> {
    const params: unknown[] = [want, filter.pattern];
    // container_id as text: the trigram index is keyed on it, and the primary key cannot serve it.
    const where = conditions(filter, 'container_id::text', params);
    await this.tx.exec(TRIGRAM_PLAN);
    return this.tx.query<LogLineRow>(`SELECT ${COLUMNS} FROM container_logs WHERE ${where} AND line ILIKE $2 ORDER BY ${ORDER} LIMIT $1`, params);
  }
}
