import { Injectable } from '@nestjs/common';
import { SqlClient } from '../../database/sql-client.js';
import type { CrashContext } from '../alert.view.js';

const LOG_LINES = 50;
const METRICS_BEFORE_MS = 5 * 60_000;
const TOP_PROCESSES = 10;
/** Log lines stamped a little after the crash (flushed in the same second) still belong to it. */
const LOG_GRACE_MS = 2_000;

const iso = (ts: Date | string) => new Date(ts).toISOString();

/** Reads what was true around a container's crash: its logs, metrics, host processes and neighbours. */
@Injectable()
export class CrashContextRepository {
  constructor(private readonly sql: SqlClient) {}

  async read(containerId: string, hostId: string, at: Date, crash: { exitCode: number | null; oomKilled: boolean }): Promise<CrashContext> {
    const [container, logs, metrics, processes, neighbours] = await Promise.all([
      this.sql.query<{ restart_count: number | null; exit_code: number | null }>(`SELECT restart_count, exit_code FROM containers WHERE id = $1::uuid`, [containerId]),
      this.sql.query<{ ts: Date; stream: string; line: string }>(
        `SELECT ts, stream, line FROM container_logs WHERE container_id = $1::uuid AND ts <= $2::timestamptz + $3 * interval '1 millisecond'
         AND ts > $2::timestamptz - interval '1 day' ORDER BY ts DESC, nanos DESC, n DESC LIMIT ${LOG_LINES}`,
        [containerId, at, LOG_GRACE_MS],
      ),
      this.sql.query<{ ts: Date; cpu_percent: number; memory_used: string; memory_limit: string }>(
        `SELECT ts, cpu_percent, memory_used, memory_limit FROM container_metrics
         WHERE container_id = $1::uuid AND ts BETWEEN $2::timestamptz - $3 * interval '1 millisecond' AND $2::timestamptz ORDER BY ts`,
        [containerId, at, METRICS_BEFORE_MS],
      ),
      this.sql.query<{ pid: number; name: string; cpu_percent: number; memory_rss: string }>(
        `SELECT pid, name, cpu_percent, memory_rss FROM process_samples
         WHERE host_id = $1::uuid AND ts = (SELECT max(ts) FROM process_samples WHERE host_id = $1::uuid
                                             AND ts BETWEEN $2::timestamptz - $3 * interval '1 millisecond' AND $2::timestamptz + interval '1 minute')
         ORDER BY cpu_percent DESC, memory_rss DESC LIMIT ${TOP_PROCESSES}`,
        [hostId, at, METRICS_BEFORE_MS],
      ),
      this.sql.query<{ id: string; name: string | null; memory_used: string | null; cpu_percent: number | null }>(
        `SELECT c.id, c.name, m.memory_used, m.cpu_percent FROM containers c
         LEFT JOIN LATERAL (SELECT memory_used, cpu_percent FROM container_metrics
                            WHERE container_id = c.id AND ts BETWEEN $3::timestamptz - $4 * interval '1 millisecond' AND $3::timestamptz
                            ORDER BY ts DESC LIMIT 1) m ON true
         WHERE c.host_id = $1::uuid AND c.id <> $2::uuid AND c.removed_at IS NULL ORDER BY m.memory_used DESC NULLS LAST, c.name LIMIT 50`,
        [hostId, containerId, at, METRICS_BEFORE_MS],
      ),
    ]);
    return {
      exitCode: crash.exitCode ?? container[0]?.exit_code ?? null,
      oomKilled: crash.oomKilled,
      restartCount: container[0]?.restart_count ?? null,
      lastLogLines: logs.reverse().map((row) => ({ ts: iso(row.ts), stream: row.stream, line: row.line })),
      metrics: metrics.map((row) => ({ ts: iso(row.ts), cpuPercent: row.cpu_percent, memoryUsed: Number(row.memory_used), memoryLimit: Number(row.memory_limit) })),
      topProcesses: processes.map((row) => ({ pid: row.pid, name: row.name, cpuPercent: row.cpu_percent, memoryRss: Number(row.memory_rss) })),
      neighbours: neighbours.map((row) => ({
        containerId: row.id,
        name: row.name?.replace(/^\//, '') ?? null,
        memoryUsed: row.memory_used === null ? null : Number(row.memory_used),
        cpuPercent: row.cpu_percent,
      })),
    };
  }
}
