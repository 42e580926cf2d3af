// npm run bench: ingest throughput next to PostgreSQL's own COPY, ack latency at half load, and
// overload at three times the maximum. Needs DATABASE_URL (a PostgreSQL server; a fresh database
// is created on it and dropped at the end). Options: --duration=20 (seconds per phase),
// --agents=8, --window=8, --rows=1000 (rows a frame: 25 containers × rows/25 samples),
// --spacing=1 (ms between one container's samples), --only=throughput|latency|overload,
// --db-profile (what PostgreSQL's backends were doing during each throughput run).
// Lists make a matrix: --agents=8,50 --window=2,8 --rows=1000,100 runs throughput and \copy for
// every combination, in one sitting, and prints each ratio (latency and overload are then skipped).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connectAgent, cpuSecondsOf, dockerIds, enrollHosts, freshDatabase, gauge, log, metricsFrame, percentile, processUsage, sampleDatabase, settle, startServer, table } from './lib.mjs';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    agents: { type: 'string', default: '8' },
    window: { type: 'string', default: '8' },
    rows: { type: 'string', default: '1000' },
    spacing: { type: 'string', default: '1' },
    only: { type: 'string' },
    'db-profile': { type: 'boolean', default: false },
  },
});
const list = (value) => value.split(',').map(Number);
const DURATION_MS = Number(opts.duration) * 1000;
const SPACING_MS = Number(opts.spacing);
/** Where each agent's samples start: inside the raw retention (24 h), leaving hours of room before now. */
const START_AGO_MS = 20 * 3_600_000;
const CONTAINERS = 25;
const CELLS = list(opts.agents).flatMap((agents) => list(opts.window).flatMap((window) => list(opts.rows).map((rows) => ({ agents, window, rows }))));
for (const cell of CELLS) if (cell.rows % CONTAINERS) throw new Error(`--rows must be a multiple of ${CONTAINERS}`);
// The single-cell phases read these.
let { agents: AGENTS, window: WINDOW, rows: ROWS_PER_FRAME } = CELLS[0];
let SAMPLES = ROWS_PER_FRAME / CONTAINERS;

if (!process.env.DATABASE_URL) {
  console.error('npm run bench needs DATABASE_URL pointing at a PostgreSQL server (a fresh database is created there).');
  process.exit(2);
}

/** One simulated agent: a socket, its containers and a timestamp cursor that never repeats. */
async function makeAgent(server, host, onAnswer) {
  const agent = { containers: dockerIds(CONTAINERS), ts: Date.now() - START_AGO_MS, seq: 0, sentAt: new Map(), hostId: host.hostId };
  agent.socket = await connectAgent(server.base, host.agentToken, (frame) => onAnswer(agent, frame));
  agent.send = () => {
    const seq = ++agent.seq;
    agent.sentAt.set(seq, performance.now());
    agent.socket.send(metricsFrame(seq, agent.containers, agent.ts, SAMPLES, SPACING_MS), { binary: false });
    agent.ts += SAMPLES * SPACING_MS;
  };
  return agent;
}

async function throughput(server, databaseUrl) {
  await settle(server, databaseUrl);
  const hosts = await enrollHosts(server.base, AGENTS);
  let acked = 0;
  let errors = 0;
  const refusals = {};
  let measuring = false;
  const agents = await Promise.all(
    hosts.map((host) =>
      makeAgent(server, host, (agent, frame) => {
        agent.sentAt.delete(frame.seq);
        if (frame.type === 'ack') {
          if (measuring) acked += ROWS_PER_FRAME;
        } else {
          errors++;
          refusals[frame.code] = (refusals[frame.code] ?? 0) + 1;
        }
        if (!running) return;
        // As the reference agent does: a refusal that says when to come back is waited out.
        if (frame.retryAfterMs) setTimeout(() => running && agent.send(), frame.retryAfterMs);
        else agent.send();
      }),
    ),
  );
  let running = true;
  for (const agent of agents) for (let i = 0; i < WINDOW; i++) agent.send();
  log(`throughput: ${AGENTS} agents × window ${WINDOW} × ${ROWS_PER_FRAME} rows a frame; warming up 3 s`);
  await new Promise((r) => setTimeout(r, 3_000));
  measuring = true;
  const started = performance.now();
  const cpu0 = processUsage(server.child.pid).cpuSeconds;
  const pg0 = cpuSecondsOf('postgres');
  const database = opts['db-profile'] ? await sampleDatabase(databaseUrl) : undefined;
  const progress = setInterval(() => log(`  ${Math.round(acked / ((performance.now() - started) / 1000)).toLocaleString()} rows/s acked so far`), 5_000);
  await new Promise((r) => setTimeout(r, DURATION_MS));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  const pgCpu = (cpuSecondsOf('postgres') - pg0) / seconds;
  const activity = await database?.stop();
  clearInterval(progress);
  running = false;
  await new Promise((r) => setTimeout(r, 3_000));
  for (const agent of agents) agent.socket.close();
  const serverCpu = (processUsage(server.child.pid).cpuSeconds - cpu0) / seconds;
  return { rowsPerSecond: acked / seconds, rows: acked, errors, refusals, serverCpu, pgCpu, activity };
}

/** The same rows loaded by PostgreSQL itself: psql \copy (COPY FROM STDIN) into a table of the same shape. */
async function copyBaseline(server, databaseUrl, rows) {
  await settle(server, databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS bench_copy`);
  await client.query(`CREATE TABLE bench_copy (LIKE container_metrics INCLUDING DEFAULTS) PARTITION BY RANGE (ts)`);
  await client.query(`ALTER TABLE bench_copy ADD PRIMARY KEY (container_id, ts)`);
  await client.query(`CREATE INDEX ON bench_copy (host_id, ts)`);
  await client.query(`CREATE TABLE bench_copy_p PARTITION OF bench_copy FOR VALUES FROM ('2000-01-01') TO ('2200-01-01')`);
  await client.end();
  const dir = mkdtempSync(join(tmpdir(), 'dockpulse-bench-'));
  const file = join(dir, 'rows.csv');
  const host = '00000000-0000-4000-8000-000000000001';
  const containers = Array.from({ length: CONTAINERS * AGENTS }, (_, i) => `00000000-0000-4000-8000-${String(i + 2).padStart(12, '0')}`);
  const lines = [];
  const base = Date.now() - 3_600_000;
  for (let i = 0; i < rows; i++) {
    const c = containers[i % containers.length];
    const ts = new Date(base + Math.floor(i / containers.length) * SPACING_MS).toISOString();
    lines.push(`${host},${c},${ts},${(i % 100) + 0.5},${100000000 + i},2000000000,${1000 + i},${2000 + i},${3000 + i},${4000 + i},7`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  const started = performance.now();
  const pg0 = cpuSecondsOf('postgres');
  execFileSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy bench_copy (host_id, container_id, ts, cpu_percent, memory_used, memory_limit, network_rx, network_tx, block_read, block_write, pids) FROM '${file}' WITH (FORMAT csv)`]);
  const seconds = (performance.now() - started) / 1000;
  return { rowsPerSecond: rows / seconds, seconds, pgCpu: (cpuSecondsOf('postgres') - pg0) / seconds };
}

async function latency(server, targetRowsPerSecond) {
  const hosts = await enrollHosts(server.base, AGENTS);
  const samples = [];
  let errors = 0;
  const agents = await Promise.all(
    hosts.map((host) =>
      makeAgent(server, host, (agent, frame) => {
        const sent = agent.sentAt.get(frame.seq);
        agent.sentAt.delete(frame.seq);
        if (frame.type === 'ack') samples.push(performance.now() - sent);
        else errors++;
      }),
    ),
  );
  const framesPerSecond = targetRowsPerSecond / ROWS_PER_FRAME;
  const periodMs = (1000 * AGENTS) / framesPerSecond;
  log(`latency: ${Math.round(targetRowsPerSecond).toLocaleString()} rows/s offered (${framesPerSecond.toFixed(1)} frames/s, one every ${Math.round(periodMs)} ms per agent)`);
  const timers = agents.map((agent, i) => setTimeout(() => (agent.timer = setInterval(agent.send, periodMs)), (i * periodMs) / AGENTS));
  await new Promise((r) => setTimeout(r, DURATION_MS));
  timers.forEach(clearTimeout);
  for (const agent of agents) clearInterval(agent.timer);
  await new Promise((r) => setTimeout(r, 3_000));
  for (const agent of agents) agent.socket.close();
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), frames: samples.length, errors };
}

async function overload(server, databaseUrl, offeredRowsPerSecond) {
  const hosts = await enrollHosts(server.base, AGENTS);
  const answers = {};
  let sent = 0;
  let answered = 0;
  let ackedRows = 0;
  const agents = await Promise.all(
    hosts.map((host) =>
      makeAgent(server, host, (_agent, frame) => {
        answered++;
        const code = frame.type === 'ack' ? 'ack' : frame.code;
        answers[code] = (answers[code] ?? 0) + 1;
        if (frame.type === 'ack') ackedRows += ROWS_PER_FRAME;
      }),
    ),
  );
  const periodMs = (1000 * AGENTS * ROWS_PER_FRAME) / offeredRowsPerSecond;
  log(`overload: ${Math.round(offeredRowsPerSecond).toLocaleString()} rows/s offered, one frame every ${periodMs.toFixed(1)} ms per agent, no waiting for acks`);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, processUsage(server.child.pid).rss)), 100);
  const timers = agents.map((agent) =>
    setInterval(() => {
      sent++;
      agent.send();
    }, periodMs),
  );
  await new Promise((r) => setTimeout(r, DURATION_MS));
  timers.forEach(clearInterval);
  const deadline = Date.now() + 60_000;
  while (answered < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  clearInterval(sampler);
  for (const agent of agents) agent.socket.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM container_metrics WHERE host_id = ANY($1::uuid[])', [hosts.map((h) => h.hostId)])).rows;
  await client.end();
  return { sent, answered, answers, ackedRows, storedRows: n, peakRss };
}

/** What PostgreSQL's backends were doing, on average, during a throughput run. */
function activityRows(activity) {
  return activity.filter((a) => a.busy >= 0.005).map((a) => [`  ${a.statement} (${a.on})`, a.busy.toFixed(2), 'busy backends']);
}

/** Cores busy at a rate of rows a second, as microseconds of CPU a row. */
const perRowMicros = (cores, rowsPerSecond) => ((cores * 1e6) / rowsPerSecond).toFixed(1);

/** A throughput run's error answers: their count and, if any, how many of each code. */
const refusedText = (t) => (t.errors ? `${t.errors} ${JSON.stringify(t.refusals)}` : 0);

/** Throughput and \copy for each cell of the matrix; one server, one database, one sitting. */
async function matrix(server, databaseUrl) {
  const results = [['agents', 'window', 'rows/frame', 'ingest rows/s', '\\copy rows/s', 'ratio', 'server cores', 'PostgreSQL µs a row, ingest / \\copy', 'refused (waited out)']];
  const details = [];
  for (const cell of CELLS) {
    ({ agents: AGENTS, window: WINDOW, rows: ROWS_PER_FRAME } = cell);
    SAMPLES = ROWS_PER_FRAME / CONTAINERS;
    const t = await throughput(server, databaseUrl);
    const copy = await copyBaseline(server, databaseUrl, t.rows);
    results.push([AGENTS, WINDOW, ROWS_PER_FRAME, Math.round(t.rowsPerSecond).toLocaleString(), Math.round(copy.rowsPerSecond).toLocaleString(), (t.rowsPerSecond / copy.rowsPerSecond).toFixed(2), t.serverCpu.toFixed(2), `${perRowMicros(t.pgCpu, t.rowsPerSecond)} / ${perRowMicros(copy.pgCpu, copy.rowsPerSecond)}`, refusedText(t)]);
    if (t.activity) details.push([`${AGENTS} agents, window ${WINDOW}, ${ROWS_PER_FRAME} rows`, '', ''], ...activityRows(t.activity));
  }
  return [results, details];
}

const db = await freshDatabase(process.env.DATABASE_URL);
const LIMIT_ROWS = 200_000;
const server = await startServer({ DATABASE_URL: db.url, AGENT_RATE_LIMIT: '0', BUFFER_LIMIT_ROWS: String(LIMIT_ROWS) });
const results = [['measure', 'figure', 'goal']];
try {
  const only = opts.only;
  let max;
  if (CELLS.length > 1) {
    const [cells, details] = await matrix(server, db.url);
    console.log(`\nDockPulse ingest matrix (${new Date().toISOString()}, ${(await import('node:os')).cpus().length} cores, Node ${process.version}, ${opts.duration} s a cell, samples ${SPACING_MS} ms apart)\n`);
    console.log(table(cells));
    if (details.length) console.log(`\nPostgreSQL during each run\n\n${table(details)}`);
  } else {
    const t = await throughput(server, db.url);
    max = t.rowsPerSecond;
    if (!only || only === 'throughput') {
      const copy = await copyBaseline(server, db.url, t.rows);
      results.push(['ingest over sockets (rows/s)', Math.round(t.rowsPerSecond).toLocaleString(), '']);
      results.push(['psql \\copy, same rows, same shape (rows/s)', Math.round(copy.rowsPerSecond).toLocaleString(), '']);
      results.push(['ratio ingest / \\copy', (t.rowsPerSecond / copy.rowsPerSecond).toFixed(2), '≥ 0.7']);
      results.push(['server CPU during ingest (cores)', t.serverCpu.toFixed(2), '']);
      results.push(['PostgreSQL CPU a row, ingest / \\copy (µs)', `${perRowMicros(t.pgCpu, t.rowsPerSecond)} / ${perRowMicros(copy.pgCpu, copy.rowsPerSecond)}`, '']);
      results.push(['error answers during throughput', refusedText(t), '0 (overloaded: waited out)']);
      if (t.activity) results.push(['PostgreSQL during throughput', '', ''], ...activityRows(t.activity));
    }
  }
  if (CELLS.length === 1 && (!only || only === 'latency')) {
    const l = await latency(server, max / 2);
    results.push(['ack latency p50 at half load (ms)', Math.round(l.p50), '']);
    results.push(['ack latency p99 at half load (ms)', Math.round(l.p99), '≤ 1250 (BUFFER_FLUSH_MS + 250)']);
    results.push(['error answers during latency', l.errors, '0']);
  }
  if (CELLS.length === 1 && (!only || only === 'overload')) {
    const o = await overload(server, db.url, max * 3);
    results.push(['overload: frames sent / answered', `${o.sent} / ${o.answered}`, 'all answered']);
    results.push(['overload: answers', JSON.stringify(o.answers), '']);
    results.push(['overload: acked rows / stored rows', `${o.ackedRows} / ${o.storedRows}`, 'stored ≥ acked']);
    results.push(['overload: peak server RSS (MiB)', Math.round(o.peakRss / 2 ** 20), `bounded (BUFFER_LIMIT_ROWS ${LIMIT_ROWS})`]);
  }
} finally {
  await server.stop();
  await db.drop();
}
if (CELLS.length === 1) {
  console.log(`\nDockPulse ingest benchmark (${new Date().toISOString()}, ${(await import('node:os')).cpus().length} cores, Node ${process.version}, samples ${SPACING_MS} ms apart)\n`);
  console.log(table(results));
}
