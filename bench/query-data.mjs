// Volume for the query benchmark, generated inside PostgreSQL (generate_series) because pushing
// tens of millions of rows through the agent path would measure ingestion, not reads.
import { log } from './lib.mjs';

const DAY_MS = 86_400_000;

const dayName = (table, day) => `${table}_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;

/** Daily partitions covering [fromMs, toMs) for `table`, created when missing. */
export async function ensurePartitions(db, table, fromMs, toMs) {
  for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
    await db.query(
      `CREATE TABLE IF NOT EXISTS "${dayName(table, day)}" PARTITION OF "${table}" FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
    );
  }
}

/**
 * One sample per second per container over [fromMs, toMs), an hour per statement. Counters grow
 * steadily and every container restarts (counters back to zero) once, at a different minute.
 */
export async function generateContainerMetrics(db, containers, fromMs, toMs) {
  await ensurePartitions(db, 'container_metrics', fromMs, toMs);
  const HOUR = 3_600_000;
  for (let start = fromMs; start < toMs; start += HOUR) {
    const end = Math.min(start + HOUR, toMs);
    await db.query(
      `INSERT INTO container_metrics (host_id, container_id, ts, cpu_percent, memory_used, memory_limit, network_rx, network_tx, block_read, block_write, pids)
       SELECT c.host_id, c.id, to_timestamp(s / 1000.0),
              (abs(hashint4(((s / 1000)::int4) # c.n)::int8) % 10000) / 100.0,
              100000000 + (s / 1000 % 3600) * 1000, 2000000000,
              ((s / 1000 + c.n * 977) % 86400) * 1500, ((s / 1000 + c.n * 977) % 86400) * 700,
              ((s / 1000 + c.n * 977) % 86400) * 40, ((s / 1000 + c.n * 977) % 86400) * 90, 12
       FROM (SELECT id, host_id, row_number() OVER (ORDER BY id)::int4 AS n FROM containers WHERE id = ANY($1::uuid[])) c
       CROSS JOIN generate_series($2::int8, $3::int8 - 1, 1000) AS s
       ON CONFLICT DO NOTHING`,
      [containers.map((c) => c.id), start, end],
    );
  }
}

const WORDS = ['GET', 'POST', 'PUT', 'DELETE'];
/** `lines` log lines spread evenly over [fromMs, toMs) and the containers; one in 100,000 mentions a deadlock. */
export async function generateLogs(db, containers, fromMs, toMs, lines) {
  await ensurePartitions(db, 'container_logs', fromMs, toMs);
  const chunk = 500_000;
  const stepMs = (toMs - fromMs) / lines;
  for (let first = 0; first < lines; first += chunk) {
    const last = Math.min(first + chunk, lines) - 1;
    await db.query(
      `INSERT INTO container_logs (host_id, container_id, ts, nanos, stream, line, truncated, line_hash)
       SELECT c.host_id, c.id, to_timestamp(($2::float8 + i * $4::float8) / 1000.0), 0,
              CASE WHEN i % 10 = 0 THEN 'stderr' ELSE 'stdout' END,
              line, false, md5(line)::uuid
       FROM generate_series($5::int8, $6::int8) AS i
       CROSS JOIN LATERAL (SELECT CASE WHEN i % 100000 = 77 THEN 'panic: deadlock detected in worker ' || i
                                       ELSE (ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}])[1 + i % 4] || ' /api/items/' || (i % 50000) || ' ' || (200 + (i % 7) * 50) || ' ' || (i % 997) || 'ms request_id=' || md5(i::text) END AS line) l
       JOIN (SELECT id, host_id, (row_number() OVER (ORDER BY id) - 1)::int8 AS n FROM containers WHERE id = ANY($1::uuid[])) c ON c.n = i % $3
       ON CONFLICT DO NOTHING`,
      [containers.map((c) => c.id), fromMs, containers.length, stepMs, first, last],
    );
    log(`  logs: ${(last + 1).toLocaleString()} / ${lines.toLocaleString()}`);
  }
}

/** Per-minute rollups synthesized for [fromMs, toMs), for the days before the raw data starts. */
export async function generateRollups(db, containers, fromMs, toMs) {
  await ensurePartitions(db, 'container_metrics_1m', fromMs, toMs);
  await db.query(
    `INSERT INTO container_metrics_1m (host_id, container_id, ts, samples, cpu_avg, cpu_max, memory_avg, memory_max, memory_limit, network_rx, network_tx, block_read, block_write, pids_max)
     SELECT c.host_id, c.id, to_timestamp(m / 1000.0), 60, 42.5, 97.0, 150000000.0, 160000000, 2000000000, 90000, 42000, 2400, 5400, 12
     FROM containers c CROSS JOIN generate_series($2::int8, $3::int8 - 1, 60000) AS m
     WHERE c.id = ANY($1::uuid[]) ON CONFLICT DO NOTHING`,
    [containers.map((c) => c.id), fromMs, toMs],
  );
}

/** Partitions of `width` (aligned to the epoch, named by their first day as the server names them) covering [fromMs, toMs). */
export async function ensureWidePartitions(db, table, fromMs, toMs, width) {
  for (let start = Math.floor(fromMs / width) * width; start < toMs; start += width) {
    await db.query(
      `CREATE TABLE IF NOT EXISTS "${dayName(table, start)}" PARTITION OF "${table}" FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(start + width).toISOString()}')`,
    );
  }
}

/**
 * Hourly and daily tiers synthesized for [fromMs, toMs): one row per container per hour (3600
 * samples) and per day (86,400), values varying by hour so the rows are not all alike on disk.
 * Rows already there (built from raw by the service's code) are kept.
 */
export async function generateTiers(db, containers, fromMs, toMs) {
  const HOUR = 3_600_000;
  await ensureWidePartitions(db, 'container_metrics_1h', fromMs, toMs, 30 * DAY_MS); // the widths of src/rollups/rollup-tables.ts
  await ensureWidePartitions(db, 'container_metrics_1d', fromMs, toMs, 180 * DAY_MS);
  const ids = containers.map((c) => c.id);
  for (const [table, step, samples] of [['container_metrics_1h', HOUR, 3600], ['container_metrics_1d', DAY_MS, 86400]]) {
    await db.query(
      `INSERT INTO ${table} (host_id, container_id, ts, samples, cpu_avg, cpu_max, memory_avg, memory_max, memory_limit, network_rx, network_tx, block_read, block_write, pids_max)
       SELECT c.host_id, c.id, to_timestamp(m / 1000.0), ${samples}, v.cpu, v.cpu * 1.8, 150000000.0 + v.cpu * 1e6, 160000000 + (v.cpu * 1e6)::int8, 2000000000,
              (5400000 + v.cpu * 9000)::int8 * ${samples / 3600}, (2520000 + v.cpu * 4000)::int8 * ${samples / 3600}, 144000 * ${samples / 3600}, 324000 * ${samples / 3600}, 12
       FROM containers c CROSS JOIN generate_series($2::int8, $3::int8 - 1, $4::int8) AS m
       CROSS JOIN LATERAL (SELECT (abs(hashint8(m # hashtext(c.id::text))::int8) % 5000) / 100.0 AS cpu) v
       WHERE c.id = ANY($1::uuid[])
       ORDER BY m, c.id -- in time order, as the service writes them: one series' rows spread over the heap
       ON CONFLICT DO NOTHING`,
      [ids, Math.ceil(fromMs / step) * step, toMs, step],
    );
  }
}

/** Runs the service's own set-based rollup rebuild (compiled in dist/) over [fromMs, toMs). */
export async function buildRollups(url, fromMs, toMs) {
  const { PgSqlClient } = await import('../dist/database/pg-sql-client.js');
  const { rebuildRollups } = await import('../dist/rollups/rebuild-rollups.js');
  const sql = PgSqlClient.open(url);
  try {
    await rebuildRollups(sql, new Date(fromMs), new Date(toMs));
  } finally {
    await sql.close();
  }
}
