// Volume for the "gaps over 30 days" read (docs/gaps.md): 30 days of per-minute rollups of one host
// and its containers with holes, the presence ledger made from them, and the connection and refusal
// ledgers that explain the holes. Generated inside PostgreSQL.
//   node bench/gaps-data.mjs     (standalone: its own database and server, one timed read; needs npm run build)
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import { enrollHosts, freshDatabase, log, percentile, startServer, table } from './lib.mjs';
import { ensurePartitions } from './query-data.mjs';

const MINUTE = 60_000;
const DAY = 86_400_000;
export const GAP_DAYS = 30;

/**
 * Every day of [now - 30 d, now): the host offline 20 minutes (from 03:00, no connection, no rows),
 * containers not collected 5 minutes (from 12:00, host rows only), and container frames refused for
 * 2 minutes (from 18:00). Rows already there (query.mjs's rollups) are kept outside the holes.
 */
export async function generateGapData(db, hostId, containerIds, now) {
  const from = Math.floor((now - GAP_DAYS * DAY) / DAY) * DAY;
  const to = Math.floor(now / MINUTE) * MINUTE;
  await db.query(`UPDATE hosts SET created_at = $2 WHERE id = $1`, [hostId, new Date(from - DAY)]);
  await ensurePartitions(db, 'host_metrics_1m', from, to);
  await ensurePartitions(db, 'container_metrics_1m', from, to);
  // The holes, as conditions on the minute of the day of `m` (epoch ms) or of a row's ts.
  const holes = (ms) => {
    const minuteOfDay = `(((${ms}) / 60000) % 1440)::int`;
    return { offline: `${minuteOfDay} BETWEEN 180 AND 199`, notCollected: `${minuteOfDay} BETWEEN 720 AND 724`, refused: `${minuteOfDay} BETWEEN 1080 AND 1081` };
  };
  const { offline, notCollected, refused } = holes('m');
  const row = holes('(extract(epoch FROM ts) * 1000)::int8');
  await db.query(
    `INSERT INTO host_metrics_1m (host_id, ts, samples, cpu_avg, cpu_max, load1_avg, load5_avg, load15_avg, memory_avg, memory_max, memory_total, disk_used_last, disk_used_max, disk_total, network_rx, network_tx)
     SELECT $1::uuid, to_timestamp(m / 1000.0), 6, 20, 40, 0.5, 0.4, 0.3, 4e9, 4100000000, 16000000000, 5e10, 5e10, 5e11, 1000, 2000
     FROM generate_series($2::int8, $3::int8 - 1, 60000) AS m WHERE NOT (${offline}) ON CONFLICT DO NOTHING`,
    [hostId, from, to],
  );
  await db.query(
    `INSERT INTO container_metrics_1m (host_id, container_id, ts, samples, cpu_avg, cpu_max, memory_avg, memory_max, memory_limit, network_rx, network_tx, block_read, block_write, pids_max)
     SELECT $1::uuid, c, to_timestamp(m / 1000.0), 6, 42.5, 97.0, 150000000.0, 160000000, 2000000000, 90000, 42000, 2400, 5400, 12
     FROM unnest($2::uuid[]) AS c CROSS JOIN generate_series($3::int8, $4::int8 - 1, 60000) AS m
     WHERE NOT (${offline} OR ${notCollected} OR ${refused}) ON CONFLICT DO NOTHING`,
    [hostId, containerIds, from, to],
  );
  for (const [name, where] of [['host_metrics_1m', row.offline], ['container_metrics_1m', `${row.offline} OR ${row.notCollected} OR ${row.refused}`]]) {
    await db.query(`DELETE FROM ${name} WHERE host_id = $1 AND ts >= to_timestamp($2 / 1000.0) AND (${where})`, [hostId, from]);
  }
  // The presence ledger, as the service records it from committed rows (and the migration backfills it).
  for (const [name, kind] of [['host_metrics_1m', 'host_metrics'], ['container_metrics_1m', 'container_metrics']]) {
    await db.query(
      `INSERT INTO data_presence (host_id, kind, hour, minutes)
       SELECT host_id, $2, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', bit_or((1::int8) << extract(minute FROM ts AT TIME ZONE 'UTC')::int)
       FROM ${name} WHERE host_id = $1 GROUP BY 1, 3
       ON CONFLICT (host_id, kind, hour) DO UPDATE SET minutes = EXCLUDED.minutes`,
      [hostId, kind],
    );
  }
  // One connection a day, from 03:20 to 03:00 the next day (the last one still open, seen just now).
  await db.query(
    `INSERT INTO agent_connections (id, host_id, instance_id, transport, connected_at, disconnected_at, last_seen_at)
     SELECT gen_random_uuid(), $1::uuid, 'bench-' || (d / 86400000 % 2), 'socket', to_timestamp((d + 200 * 60000) / 1000.0),
            CASE WHEN d + 86400000 + 180 * 60000 < $3::int8 THEN to_timestamp((d + 86400000 + 180 * 60000) / 1000.0) END,
            to_timestamp(LEAST(d + 86400000 + 180 * 60000, $3::int8) / 1000.0)
     FROM generate_series($2::int8 - 86400000, $3::int8 - 1, 86400000) AS d`,
    [hostId, from, to],
  );
  await db.query(
    `INSERT INTO ingest_refusals (host_id, kind, minute, frames, rows, last_code)
     SELECT $1::uuid, 'metrics', to_timestamp(m / 1000.0), 3, 30, 'invalid_message'
     FROM generate_series($2::int8, $3::int8 - 1, 60000) AS m WHERE ${refused}`,
    [hostId, from, to],
  );
  return { from, to };
}

/** Standalone: one host with `containers` containers, 30 days, the read timed over HTTP. */
async function main() {
  const runs = Number(process.env.BENCH_RUNS ?? 20);
  const containers = Number(process.env.BENCH_GAP_CONTAINERS ?? 10);
  const database = await freshDatabase(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const server = await startServer({ DATABASE_URL: database.url, RETENTION_ROLLUPS: '30d', RETENTION_CRON: '0 0 1 1 *' });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    const hosts = await enrollHosts(server.base, 1);
    const hostId = hosts[0].hostId;
    const now = Date.now();
    const ids = (await db.query(`SELECT gen_random_uuid() AS id FROM generate_series(1, $1)`, [containers])).rows.map((r) => r.id);
    log(`generating ${GAP_DAYS} days of minute rollups for a host and ${containers} containers, with holes and their ledger`);
    await generateGapData(db, hostId, ids, now);
    await db.query('VACUUM ANALYZE');
    const path = `/api/hosts/${hostId}/gaps?from=${new Date(now - GAP_DAYS * DAY).toISOString()}&to=${new Date(now).toISOString()}`;
    const get = async () => {
      const res = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${hosts.accessToken}` } });
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      return res.json();
    };
    await get();
    const ms = [];
    let body;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      body = await get();
      ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    const counts = {};
    for (const gap of body) counts[`${gap.kind}/${gap.reason}`] = (counts[`${gap.kind}/${gap.reason}`] ?? 0) + 1;
    const reasons = Object.entries(counts).map(([kind, n]) => `${kind}: ${n}`).join(', ');
    console.log(`\n${table([['query', 'p50 ms', 'p95 ms', 'max ms', 'gaps'], [`gaps over ${GAP_DAYS} days, ${containers} containers`, percentile(ms, 50).toFixed(1), percentile(ms, 95).toFixed(1), ms.at(-1).toFixed(1), body.length]])}`);
    console.log(reasons);
  } finally {
    await db.end();
    await server.stop();
    await database.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
