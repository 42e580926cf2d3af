// Shared pieces of the benchmarks: a server child process, its database, agents and their frames.
import { JwtService } from '@nestjs/jwt';
import { spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import WebSocket from 'ws';

export const JWT_SECRET = 'benchmark-secret-that-is-long-enough-for-hs256';

export function log(message) {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * Waits until the database is done with the aftermath of earlier writes: a checkpoint writing them
 * out and autovacuum workers on the grown tables would otherwise be timed as part of what comes
 * next (the first query after loading once measured p95 108 ms against 30 ms a minute later; an
 * ingest phase's PostgreSQL CPU per row swung 8.6–23 ms with where checkpoints fell).
 */
export async function quiesce(db) {
  await db.query('CHECKPOINT');
  for (let i = 0; i < 600; i++) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`);
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Lets the machine settle before a measurement: the server's rollup backlog of the phase before
 * worked off, then a checkpoint and autovacuum done. Without it `\copy` ran beside the rollup
 * worker and measured anywhere from 107,000 to 176,000 rows/s in one sitting.
 */
export async function settle(server, databaseUrl) {
  for (let i = 0; i < 600 && (await gauge(server.base, 'dockpulse_rollup_pending_periods')) > 0; i++) await new Promise((r) => setTimeout(r, 500));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await quiesce(client);
  await client.end();
}

/** A fresh database on the server of DATABASE_URL; dropped by the returned cleanup. */
export async function freshDatabase(serverUrl) {
  const name = `dockpulse_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** As `npm start` and the image run the server (docs/deployment.md, "Memory"). */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Starts dist/main.js with `env` (on `port`, else a random one); resolves once /api/ready answers 200. */
export async function startServer(env, { port = 3900 + Math.floor(Math.random() * 90) } = {}) {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, 'dist/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', JWT_SECRET, LOG_LEVEL: 'warn', SIGNUP_ENABLED: 'true', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/ready`)).ok) return { child, base, port, stop: () => stopServer(child) };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(); // stopped already
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** Resident memory (bytes) and CPU seconds so far of a process, from /proc. */
export function processUsage(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const cpuSeconds = (Number(stat[11]) + Number(stat[12])) / 100;
  return { rss, cpuSeconds };
}

/**
 * CPU seconds so far of every process named `name` (e.g. all of PostgreSQL's: postmaster, backends,
 * workers), counting those that exited too: a parent's reaped children (cutime, cstime) stay in its
 * figure, so a backend closing during a measurement does not take its CPU out of the sum.
 */
export function cpuSecondsOf(name) {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== name) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(stat[11]) + Number(stat[12]) + Number(stat[13]) + Number(stat[14]);
    } catch {} // exited meanwhile
  }
  return ticks / 100;
}

/** Busy CPU seconds of the whole machine so far (all cores, from /proc/stat): shows whether the cores were the limit. */
export function machineBusySeconds() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** A gauge of an instance's GET /metrics (no METRICS_TOKEN), e.g. `dockpulse_agents_connected`. */
export async function gauge(base, name) {
  const text = await scrapeMetrics(base);
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

/**
 * The text of `/metrics`, on a connection of its own: scrapes between phases minutes apart failed
 * on a kept-alive connection with "other side closed" (fetch keeps them in its pool).
 */
function scrapeMetrics(base) {
  return new Promise((resolve, reject) => {
    httpGet(`${base}/metrics`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** The sum of a metric over all its label sets, e.g. `dockpulse_buffer_flushed_rows_total`. */
export async function metricSum(base, name) {
  const text = await scrapeMetrics(base);
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function json(base, path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Signs up an organization and enrolls `count` hosts through the public API; `hosts.accessToken` is the owner's token. */
/**
 * `count` hosts of one organization inserted directly, with agent tokens signed by the benchmark's
 * JWT_SECRET: seconds for 20,000 agents instead of as many REST calls.
 */
export async function insertAgents(url, count) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [{ id: org }] = (await client.query(`INSERT INTO organizations (name) VALUES ('bench') RETURNING id`)).rows;
    const hosts = (await client.query(`INSERT INTO hosts (organization_id, name, token_generation) SELECT $1, 'bench-' || g, 1 FROM generate_series(1, $2) g RETURNING id`, [org, count])).rows;
    const jwt = new JwtService({ secret: JWT_SECRET });
    return hosts.map((h) => jwt.sign({ typ: 'agent', sub: h.id, org, gen: 1 }, { expiresIn: 3600 }));
  } finally {
    await client.end();
  }
}

export async function enrollHosts(base, count) {
  const { accessToken } = await json(base, '/api/auth/signup', { email: `bench-${Date.now()}@example.test`, password: 'benchmark-42', organization: 'Bench' });
  const hosts = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
        const { enrollmentToken } = await json(base, '/api/hosts', { name: `bench-${i + j}` }, accessToken);
        return json(base, '/api/agent/enroll', { enrollmentToken, hostname: `bench-${i + j}`, agentVersion: 'bench' });
      }),
    );
    hosts.push(...batch);
  }
  return Object.assign(hosts, { accessToken });
}

/** Opens an agent socket and resolves after `welcome`. `onAnswer(frame)` gets every ack/error. */
export function connectAgent(base, token, onAnswer) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/agent`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused ${res.statusCode}`)));
    // Behind deploy/haproxy/haproxy.cfg: which instance took the socket (dockpulse-1, …).
    socket.once('upgrade', (res) => (socket.instance = res.headers['x-dockpulse-instance']));
    socket.on('message', (data) => {
      const frame = JSON.parse(data);
      if (frame.type === 'welcome') resolve(socket);
      else onAnswer?.(frame);
    });
  });
}

export const dockerIds = (n) => Array.from({ length: n }, () => randomBytes(32).toString('hex'));

/**
 * A metrics frame's UTF-8 bytes (send it with `{ binary: false }`): `perContainer` samples
 * `spacingMs` apart for each container, starting at `ts0`. The generator must cost far less than
 * the server it measures: built as one string, a 250 KB frame went to V8's large-object space
 * and cost 2.6 ms, on the cores the server and PostgreSQL share; in pieces under 32 KB, 0.34 ms.
 */
export function metricsFrame(seq, containers, ts0, perContainer, spacingMs = 1) {
  const parts = [Buffer.from(`{"type":"metrics","seq":${seq},"data":[`)];
  let text = '';
  let first = true;
  for (let s = 0; s < perContainer; s++) {
    const ts = ts0 + s * spacingMs;
    for (const id of containers) {
      text += `${first ? '' : ','}{"containerId":"${id}","ts":${ts},"cpuPercent":${(s % 100) + 0.5},"memoryUsed":${100000000 + s},"memoryLimit":2000000000,"networkRx":${1000 + s},"networkTx":${2000 + s},"blockRead":${3000 + s},"blockWrite":${4000 + s},"pids":7}`;
      first = false;
      if (text.length > 32_768) {
        parts.push(Buffer.from(text));
        text = '';
      }
    }
  }
  parts.push(Buffer.from(`${text}]}`));
  return Buffer.concat(parts);
}

/** What each statement is, for `sampleDatabase`: the hot tables by name, anything else by its first words. */
function statementClass(query) {
  const table = /^\s*(?:WITH[\s\S]*?)?(INSERT INTO|UPDATE|DELETE FROM|SELECT[\s\S]*?FROM)\s+"?(\w+)"?/i.exec(query);
  // The rollup statements (src/rollups) are long: pg_stat_activity may cut them before their table.
  if (/^WITH dirty AS/.test(query)) return `rollup: minutes recomputed (${/host_metrics/.test(query) ? 'host' : 'container'})`;
  if (/_metrics_1[mhd]/.test(query)) return `rollup ${/_metrics_1([mhd])/.exec(query)[1]} (${/container_metrics/.test(query) ? 'container' : 'host'})`;
  if (table) return `${table[1].split(/\s/)[0].toUpperCase()} ${table[2]}`;
  return query.replace(/\s+/g, ' ').trim().slice(0, 40);
}

/**
 * PostgreSQL's own view of a phase: samples pg_stat_activity for `url`'s database every `everyMs`
 * and counts, per kind of statement, the backends running it (on CPU, or waiting and for what).
 * `stop()` answers each kind's average number of busy backends (about the cores it kept busy).
 */
export async function sampleDatabase(url, everyMs = 50) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const name = new URL(url).pathname.slice(1);
  const counts = new Map();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query(
        `SELECT query, wait_event_type FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
        [name],
      );
      samples++;
      for (const row of rows) {
        const key = `${statementClass(row.query)}\t${row.wait_event_type ?? 'CPU'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      return [...counts]
        .map(([key, n]) => [...key.split('\t'), n / samples])
        .sort((a, b) => b[2] - a[2])
        .map(([statement, on, busy]) => ({ statement, on, busy }));
    },
  };
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ')).join('\n');
}
