// Storage footprint of a realistic host (issue 15): 25 containers and the host itself sampled every
// 10 s for two whole UTC days, rolled up into the minute, hour and day tiers by the service's own
// rebuild code (dist/), then measured on disk (heap, indexes and TOAST of every partition).
// Prints raw bytes per day and each tier's bytes per year (from its measured bytes per row).
//   npm run bench:storage          (DATABASE_URL defaults to the local server's postgres database)
import pg from 'pg';
import { enrollHosts, freshDatabase, log, startServer, table } from './lib.mjs';
import { buildRollups, ensurePartitions, ensureWidePartitions } from './query-data.mjs';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CONTAINERS = 25;
const STEP_S = 10;
const DAYS = 2;
const DAY = 86_400_000;
const YEAR_DAYS = 365;

async function main() {
  const database = await freshDatabase(SERVER_URL);
  const server = await startServer({ DATABASE_URL: database.url, RETENTION_METRICS: '30d', RETENTION_CRON: '0 0 1 1 *' });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    const [host] = await enrollHosts(server.base, 1);
    const inventory = Array.from({ length: CONTAINERS }, (_, i) => ({ dockerId: String(i).padStart(4, '0').padEnd(64, 'c'), name: `app-${i}`, image: 'nginx:1.27', state: 'running' }));
    const posted = await fetch(`${server.base}/api/agent/containers`, { method: 'POST', headers: { authorization: `Bearer ${host.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify(inventory) });
    if (!posted.ok) throw new Error(`inventory: ${posted.status} ${await posted.text()}`);
    await server.stop(); // its rollup worker would race the rebuild below

    const to = Math.floor(Date.now() / DAY) * DAY - DAY; // two whole days before yesterday's end: every partition exists
    const from = to - DAYS * DAY;
    log(`generating ${DAYS} days of ${STEP_S} s samples for 1 host and ${CONTAINERS} containers`);
    await generateSamples(db, host.hostId, from, to);
    log('rolling up with the service’s rebuild code');
    await buildRollups(database.url, from, to);
    log('copying those hours and days back over a year, so the hour and day tiers are measured at a year’s size');
    await repeatOverYear(db, from, to);
    await db.query('VACUUM ANALYZE');

    const rows = [['measure', 'rows measured', 'bytes per row', 'figure']];
    const perYear = { minute: 24 * 60 * YEAR_DAYS };
    for (const [label, tables, days, periodsPerYear] of [
      ['raw samples, per day', ['container_metrics', 'host_metrics'], DAYS, undefined],
      ['minute tier, 30 days (its default retention)', ['container_metrics_1m', 'host_metrics_1m'], DAYS, perYear.minute * (30 / YEAR_DAYS)],
      ['minute tier, per year (if kept that long)', ['container_metrics_1m', 'host_metrics_1m'], DAYS, perYear.minute],
      ['hour tier, per year (measured: a year of rows)', ['container_metrics_1h', 'host_metrics_1h'], YEAR_DAYS, undefined],
      ['day tier, per year (measured: a year of rows)', ['container_metrics_1d', 'host_metrics_1d'], YEAR_DAYS, undefined],
    ]) {
      const measured = await Promise.all(tables.map((name) => footprint(db, name)));
      const bytes = measured.reduce((sum, m) => sum + m.bytes, 0);
      const count = measured.reduce((sum, m) => sum + m.rows, 0);
      // Raw: its bytes over its days. Minute tier: bytes per row times a year of rows. Hour and day tiers hold a year already.
      const estimate = periodsPerYear === undefined ? (bytes / days) * (label.startsWith('raw') ? 1 : YEAR_DAYS) : (bytes / count) * periodsPerYear * (CONTAINERS + 1);
      rows.push([label, count.toLocaleString(), (bytes / count).toFixed(0), mib(estimate)]);
    }
    console.log(table(rows));
  } finally {
    await db.end();
    await server.stop();
    await database.drop();
  }
}

async function generateSamples(db, hostId, from, to) {
  await ensurePartitions(db, 'container_metrics', from, to);
  await ensurePartitions(db, 'host_metrics', from, to);
  for (const table of ['container_metrics_1m', 'host_metrics_1m']) await ensurePartitions(db, table, from, to);
  for (const table of ['container_metrics_1h', 'host_metrics_1h']) await ensureWidePartitions(db, table, from, to, 30 * DAY); // src/rollups/rollup-tables.ts
  for (const table of ['container_metrics_1d', 'host_metrics_1d']) await ensureWidePartitions(db, table, from, to, 180 * DAY);
  // Values vary per sample (cpu, memory) and counters grow at varying rates, so rows compress no better than real ones.
  await db.query(
    `INSERT INTO container_metrics (host_id, container_id, ts, cpu_percent, memory_used, memory_limit, network_rx, network_tx, block_read, block_write, pids)
     SELECT c.host_id, c.id, to_timestamp(s), (abs(hashint8(s::int8 # c.n)) % 10000) / 100.0, 100000000 + abs(hashint8(s::int8 + c.n)) % 50000000, 2000000000,
            (s - $1) * (1000 + c.n), (s - $1) * (400 + c.n), (s - $1) * 30, (s - $1) * (70 + c.n), 10 + c.n % 7
     FROM (SELECT id, host_id, row_number() OVER (ORDER BY id)::int8 AS n FROM containers) c
     CROSS JOIN generate_series($1::int8, $2::int8 - 1, $3::int8) AS s`,
    [from / 1000, to / 1000, STEP_S],
  );
  await db.query(
    `INSERT INTO host_metrics (host_id, ts, cpu_percent, load1, load5, load15, memory_used, memory_total, disk_used, disk_total, network_rx, network_tx)
     SELECT $1::uuid, to_timestamp(s), (abs(hashint8(s::int8)) % 10000) / 100.0, (abs(hashint8(s::int8)) % 400) / 100.0, 1.5, 1.2,
            4000000000 + abs(hashint8(s::int8 + 1)) % 1000000000, 16000000000, 200000000000 + (s - $2) * 100, 500000000000, (s - $2) * 30000, (s - $2) * 12000
     FROM generate_series($2::int8, $3::int8 - 1, $4::int8) AS s`,
    [hostId, from / 1000, to / 1000, STEP_S],
  );
}

/** The hour and day rows of [from, to), copied to every earlier span of the same length within a year. */
async function repeatOverYear(db, from, to) {
  const span = to - from;
  for (const table of ['container_metrics_1h', 'host_metrics_1h', 'container_metrics_1d', 'host_metrics_1d']) {
    await db.query(
      `INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(t) || jsonb_build_object('ts', t.ts - make_interval(secs => k * $3::float8 / 1000)))).*
       FROM ${table} t CROSS JOIN generate_series(1, $4::int) AS k WHERE t.ts >= $1 AND t.ts < $2`,
      [new Date(from).toISOString(), new Date(to).toISOString(), span, Math.floor((YEAR_DAYS * DAY) / span) - 1],
    );
  }
}

async function footprint(db, name) {
  const { rows } = await db.query(
    `SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::float8 AS bytes, (SELECT count(*) FROM ${name})::float8 AS rows
     FROM pg_inherits i WHERE i.inhparent = '${name}'::regclass`,
  );
  return rows[0];
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 2 : 1)} MiB`;

await main();
