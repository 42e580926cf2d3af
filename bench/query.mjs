// Query benchmark (issue 5): read paths at realistic volume on PostgreSQL.
// 24 h of 1 s samples for 100 containers (8.64 M rows) plus one expired day of the same, 10 M log
// lines, 7 days of per-minute rollups (the last 24 h built by the service's own rollup code from
// the raw rows, the 6 days before synthesized), a year of hourly and daily tiers (synthesized),
// then each query timed end to end over HTTP.
//   npm run bench:query          (DATABASE_URL defaults to the local server's postgres database)
//   npm run bench:query -- --only=tiers   (only the year of tiers, the gaps and their queries: a few minutes at most)
import pg from 'pg';
import { enrollHosts, freshDatabase, log, percentile, quiesce, startServer, table } from './lib.mjs';
import { buildRollups, generateContainerMetrics, generateLogs, generateRollups, generateTiers } from './query-data.mjs';
import { GAP_DAYS, generateGapData } from './gaps-data.mjs';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const HOSTS = 10;
const CONTAINERS_PER_HOST = 10;
const LOG_LINES = Number(process.env.BENCH_LOG_LINES ?? 10_000_000);
const LOG_CONTAINERS = 10; // 1 M lines each: every search walks a big container
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
const ONLY_TIERS = process.argv.includes('--only=tiers');

async function api(server, token, path, init = {}) {
  const res = await fetch(`${server.base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function containersOf(server, hosts) {
  const containers = [];
  for (const [h, host] of hosts.entries()) {
    const inventory = Array.from({ length: CONTAINERS_PER_HOST }, (_, i) => ({
      dockerId: `${String(h).padStart(4, '0')}${String(i).padStart(4, '0')}`.padEnd(64, 'a'),
      name: `app-${h}-${i}`,
      image: 'nginx:1.27',
      state: 'running',
    }));
    await api(server, host.agentToken, '/api/agent/containers', { method: 'POST', body: JSON.stringify(inventory) });
    const listed = await api(server, hosts.accessToken, `/api/hosts/${host.hostId}/containers`);
    containers.push(...listed.map((c) => ({ id: c.id, hostId: host.hostId })));
  }
  return containers;
}

/** Times `RUNS` sequential requests after two warm-ups; returns [name, p50, p95, max, rows]. */
async function time(name, server, token, path, init, rowsOf = (b) => (Array.isArray(b) ? b.length : (b.items?.length ?? '-'))) {
  await api(server, token, path, init);
  await api(server, token, path, init);
  const ms = [];
  let body;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    body = await api(server, token, path, init);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { name, p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms.at(-1), rows: rowsOf(body) };
}

async function main() {
  const database = await freshDatabase(SERVER_URL);
  const server = await startServer({ DATABASE_URL: database.url, RETENTION_METRICS: '24h', RETENTION_LOGS: '24h', RETENTION_ROLLUPS: '30d', RETENTION_CRON: '0 0 1 1 *' });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    const hosts = await enrollHosts(server.base, HOSTS);
    const token = hosts.accessToken;
    const containers = await containersOf(server, hosts);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const started = performance.now();
    const c = containers[0];
    const iso = (ms) => new Date(ms).toISOString();
    const results = ONLY_TIERS ? [] : await rawAndLogs(server, token, db, database, containers, now, started);

    log(`generating a year of hourly and daily tiers for ${containers.length} containers`);
    const tiersStarted = performance.now();
    await generateTiers(db, containers, now - YEAR, now);
    await db.query('VACUUM ANALYZE container_metrics_1h, container_metrics_1d');
    await quiesce(db);
    log(`tiers ready in ${((performance.now() - tiersStarted) / 1000).toFixed(0)} s`);
    results.push(await time('1 y of one container, 1 d buckets (daily tier)', server, token, `/api/containers/${c.id}/metrics?from=${iso(now - YEAR)}&to=${iso(now)}&bucket=1d&limit=5000`));
    results.push(await time('90 d of one container, 1 h buckets (hourly tier)', server, token, `/api/containers/${c.id}/metrics?from=${iso(now - 90 * DAY)}&to=${iso(now)}&bucket=1h&limit=5000`));
    const hourly = await tierFootprint(db, 'container_metrics_1h', containers.length);

    // Gaps (docs/gaps.md): 30 days of the first host with holes and their ledger, from bench/gaps-data.mjs.
    const gapHost = hosts[0].hostId;
    await generateGapData(db, gapHost, containers.filter((x) => x.hostId === gapHost).map((x) => x.id), now);
    await db.query('VACUUM ANALYZE data_presence, agent_connections, ingest_refusals');
    await quiesce(db);
    results.push(await time(`gaps over ${GAP_DAYS} days`, server, token, `/api/hosts/${gapHost}/gaps?from=${iso(now - GAP_DAYS * DAY)}&to=${iso(now)}`));

    if (!ONLY_TIERS) results.push(await time('storage health', server, token, '/api/storage/health', {}, (b) => Object.keys(b.tables).length));
    const sizeBefore = Number((await db.query(`SELECT pg_database_size(current_database()) AS s`)).rows[0].s);
    const retentionStarted = performance.now();
    const report = await api(server, token, '/api/storage/retention/run', { method: 'POST' });
    const retentionMs = performance.now() - retentionStarted;
    const sizeAfter = Number((await db.query(`SELECT pg_database_size(current_database()) AS s`)).rows[0].s);
    const dropped = report.droppedPartitions ?? [];
    results.push({ name: `retention run (dropped ${dropped.length} partitions)`, p50: retentionMs, p95: retentionMs, max: retentionMs, rows: dropped.reduce((n, p) => n + Number(p.rowsEstimate ?? 0), 0) });

    const goals = {
      '24 h of one container, 1 m buckets': 50,
      '7 d of one container, 1 h buckets (rollups)': 50,
      '1 y of one container, 1 d buckets (daily tier)': 50,
      '90 d of one container, 1 h buckets (hourly tier)': 50,
      'logs: rare substring "deadlock" (100 matches)': 200,
      'logs: rare substring "deadlock" (no match here)': 200,
      'logs: common substring "get /api/items/42"': 200,
      'logs: absent substring "no-such-text"': 200,
      'storage health': 100,
      [`gaps over ${GAP_DAYS} days`]: 50,
    };
    const rows = results.map((r) => {
      const goal = goals[r.name] ?? (r.name.startsWith('retention') ? 1000 : undefined);
      const verdict = goal === undefined ? '' : r.p95 <= goal ? `≤ ${goal} ok` : `> ${goal} MISSED`;
      return [r.name, r.p50.toFixed(1), r.p95.toFixed(1), r.max.toFixed(1), r.rows, verdict];
    });
    console.log(`\n${table([['query', 'p50 ms', 'p95 ms', 'max ms', 'rows', 'goal (p95)'], ...rows])}`);
    const perYear = hourly.bytesPerContainerPerYear / 2 ** 20;
    console.log(
      `\nhourly tier: ${(hourly.bytes / 2 ** 20).toFixed(1)} MiB for ${hourly.rows.toLocaleString()} rows, ${perYear.toFixed(2)} MiB per container per year ` +
        `(goal ≤ 2 MiB: ${perYear <= 2 ? 'ok' : 'MISSED'})`,
    );
    console.log(`database ${(sizeBefore / 2 ** 20).toFixed(0)} MiB before retention, ${(sizeAfter / 2 ** 20).toFixed(0)} MiB after (${((sizeBefore - sizeAfter) / 2 ** 20).toFixed(0)} MiB freed by dropping partitions, nothing left to vacuum)`);
    process.exitCode = rows.some((r) => r[5].includes('MISSED')) || perYear > 2 ? 1 : 0;
  } finally {
    await db.end();
    await server.stop();
    await database.drop();
  }
}

/** The raw samples, logs and per-minute rollups, and the queries on them. */
async function rawAndLogs(server, token, db, database, containers, now, started) {
  const dayStart = Math.floor(now / DAY) * DAY;
  log(`generating 24 h of 1 s samples for ${containers.length} containers, plus an expired day`);
  await generateContainerMetrics(db, containers, now - DAY, now);
  await generateContainerMetrics(db, containers, dayStart - 3 * DAY, dayStart - 2 * DAY);
  log(`generating ${LOG_LINES.toLocaleString()} log lines over ${LOG_CONTAINERS} containers`);
  await generateLogs(db, containers.slice(0, LOG_CONTAINERS), now - DAY, now, LOG_LINES);
  log('building rollups: the last 24 h from raw with the service’s rollup code, the 6 days before synthesized');
  const rollupStarted = performance.now();
  await buildRollups(database.url, now - DAY, now);
  const rollupSeconds = (performance.now() - rollupStarted) / 1000;
  await generateRollups(db, containers, now - 7 * DAY, now - DAY);
  await db.query('VACUUM ANALYZE');
  await quiesce(db);
  const counts = (await db.query(`SELECT (SELECT count(*) FROM container_metrics) AS metrics, (SELECT count(*) FROM container_logs) AS logs, (SELECT count(*) FROM container_metrics_1m) AS rollups`)).rows[0];
  log(`data ready in ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(counts)} (rollup build of 24 h: ${rollupSeconds.toFixed(1)} s)`);

  const c = containers[0];
  const iso = (ms) => new Date(ms).toISOString();
  const results = [];
  results.push(await time('24 h of one container, 1 m buckets', server, token, `/api/containers/${c.id}/metrics?from=${iso(now - DAY)}&to=${iso(now)}&bucket=1m&limit=5000`));
  results.push(await time('7 d of one container, 1 h buckets (rollups)', server, token, `/api/containers/${c.id}/metrics?from=${iso(now - 7 * DAY)}&to=${iso(now)}&bucket=1h&limit=5000`));
  results.push(await time('7 d of one container, 10 m buckets (rollups)', server, token, `/api/containers/${c.id}/metrics?from=${iso(now - 7 * DAY)}&to=${iso(now)}&bucket=10m&limit=5000`));
  const lastHour = `from=${iso(now - HOUR)}&to=${iso(now)}`;
  results.push(await time('1 h raw samples of one container', server, token, `/api/containers/${c.id}/metrics?${lastHour}&limit=5000`));
  results.push(await time('1 h of one container, 10 s buckets (raw)', server, token, `/api/containers/${c.id}/metrics?${lastHour}&bucket=10s`));
  // The generator writes line i to the (i % 10)-th log container (by id) and a deadlock every 100,000
  // lines at i % 100,000 = 77, so all of them land in the 8th container and none in the others.
  const logContainers = containers.slice(0, LOG_CONTAINERS).map((x) => x.id).sort();
  const withDeadlocks = logContainers[77 % LOG_CONTAINERS];
  const quiet = logContainers.find((id) => id !== withDeadlocks);
  const logs = `/api/containers/${quiet}/logs?from=${iso(now - DAY)}&to=${iso(now)}&limit=100`;
  results.push(await time('logs: rare substring "deadlock" (100 matches)', server, token, `/api/containers/${withDeadlocks}/logs?from=${iso(now - DAY)}&to=${iso(now)}&limit=100&q=deadlock`));
  results.push(await time('logs: rare substring "deadlock" (no match here)', server, token, `${logs}&q=deadlock`));
  results.push(await time('logs: common substring "get /api/items/42"', server, token, `${logs}&q=${encodeURIComponent('get /api/items/42')}`));
  results.push(await time('logs: absent substring "no-such-text"', server, token, `${logs}&q=no-such-text`));
  results.push(await time('logs: newest 100, no filter', server, token, logs));
  return results;
}

/** On-disk bytes (heap, indexes, TOAST) of a tier over all its partitions, and per container scaled to a year. */
async function tierFootprint(db, table, containers) {
  const { rows } = await db.query(
    `SELECT sum(pg_total_relation_size(i.inhrelid))::float8 AS bytes, (SELECT count(*) FROM ${table})::float8 AS rows,
            extract(epoch FROM (SELECT max(ts) - min(ts) FROM ${table}))::float8 * 1000 AS span
     FROM pg_inherits i WHERE i.inhparent = '${table}'::regclass`,
  );
  const { bytes, rows: count, span } = rows[0];
  return { bytes, rows: count, bytesPerContainerPerYear: (bytes / containers) * (YEAR / (span + HOUR)) };
}

await main();
