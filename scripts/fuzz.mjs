// npm run fuzz -- --cases N [--seed S] [--case I,J] [--only RE] [--exclude RE] [--lanes N] [--timeout MS] [--url URL] [--json FILE]
// Starts the built server (dist/main.js) on a fresh PostgreSQL database of DATABASE_URL's server,
// or on an embedded database without it, fuzzes it, prints the figures and failure classes, and
// exits 1 on any failure. With --url it fuzzes a server that is already running instead.
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEFAULTS, runFuzz } from '../test/fuzz/fuzz-run.mjs';
import { randomSeed } from '../test/fuzz/random.mjs';
import { formatReport } from '../test/fuzz/report.mjs';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: String(DEFAULTS.cases) },
    seed: { type: 'string' },
    case: { type: 'string' },
    only: { type: 'string' },
    exclude: { type: 'string' },
    lanes: { type: 'string', default: String(DEFAULTS.lanes) },
    timeout: { type: 'string', default: String(DEFAULTS.answerTimeoutMs) },
    url: { type: 'string' },
    json: { type: 'string' },
  },
});

const log = (message) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function freshDatabase(serverUrl) {
  const name = `dockpulse_fuzz_${Date.now()}`;
  // One short-lived connection per statement: a connection held through a long run could be cut
  // (a server restart) and take the fuzzer down with it.
  const run = async (sql) => {
    const admin = new pg.Client({ connectionString: serverUrl });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** dist/main.js as a child process with its output in `logFile`; resolves once /api/ready answers. */
async function startServer(env, logFile) {
  const port = await freePort();
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', JWT_SECRET: 'fuzz-secret-that-is-long-enough-for-hs256-signing', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${baseUrl}/api/ready`)).ok) return { child, baseUrl, exited };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not become ready; see ${logFile}`);
}

/** CPU seconds a process has used so far, from /proc. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(stat[11]) + Number(stat[12])) / 100;
  } catch {
    return NaN;
  }
}

/** SIGTERM, then how long the server took to exit (SIGKILL after `boundMs`). */
async function stopServer({ child, exited }, boundMs = 60_000) {
  if (child.exitCode !== null) return { alreadyExited: true };
  const started = performance.now();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
  const { code, signal } = await exited;
  clearTimeout(timer);
  return { ms: Math.round(performance.now() - started), code, signal };
}

const seed = args.seed ? Number(args.seed) : randomSeed();
const options = {
  cases: Number(args.cases),
  seed,
  lanes: Number(args.lanes),
  answerTimeoutMs: Number(args.timeout),
  caseIndexes: args.case ? args.case.split(',').map(Number) : undefined,
  only: args.only ? new RegExp(args.only) : undefined,
  exclude: args.exclude ? new RegExp(args.exclude) : undefined,
  log,
  progressEvery: Number(process.env.FUZZ_PROGRESS ?? 1000),
};

let server;
let database;
const scratch = mkdtempSync(join(tmpdir(), 'dockpulse-fuzz-'));
let exitCode = 1;
try {
  if (args.url) options.baseUrl = args.url;
  else {
    if (process.env.DATABASE_URL) database = await freshDatabase(process.env.DATABASE_URL);
    const env = {
      DATA_DIR: join(scratch, 'data'), SIGNUP_ENABLED: 'true', AGENT_RATE_LIMIT: '0', BUFFER_FLUSH_MS: '50',
      LOGIN_THROTTLE_LIMIT: '1000000', RETENTION_CRON: '0 0 1 1 *', COMMAND_TIMEOUT: '1h', ...(database ? { DATABASE_URL: database.url } : {}),
    };
    server = await startServer(env, join(scratch, 'server.log'));
    options.baseUrl = server.baseUrl;
    options.serverAlive = () => server.child.exitCode === null && server.child.signalCode === null;
  }
  log(`fuzzing ${options.baseUrl} (${database ? 'PostgreSQL' : args.url ? 'running server' : 'embedded PGlite'}), seed ${seed}, ${options.caseIndexes ? `cases ${args.case}` : `${options.cases} cases`}`);
  const summary = await runFuzz(options);
  summary.counts['fuzzer cpu s'] = Math.round(process.cpuUsage().user / 1e5) / 10;
  if (server) {
    summary.counts['server cpu s'] = cpuSeconds(server.child.pid);
    const crashed = !options.serverAlive();
    const stop = await stopServer(server);
    const errors = readFileSync(join(scratch, 'server.log'), 'utf8').split('\n').filter((line) => /ERROR/.test(line));
    summary.counts['server error log lines'] = errors.length;
    summary.counts['shutdown ms'] = stop.ms ?? 0;
    if (crashed) summary.counts.crash = (summary.counts.crash ?? 0) + 1;
    if (stop.signal === 'SIGKILL') {
      summary.failures++;
      summary.classes.push({ check: 'crash', signature: 'SIGTERM did not stop the server within 60 s', count: 1, example: 'kill -TERM', caseIndex: -1 });
    }
    log(`server stopped in ${stop.ms ?? '?'} ms (${stop.signal ?? `exit ${stop.code}`}); ${errors.length} ERROR lines in its log${errors.length ? `, first: ${errors[0].slice(0, 300)}` : ''}`);
  }
  console.log(formatReport(summary));
  if (args.json) writeFileSync(args.json, JSON.stringify(summary, null, 2));
  exitCode = summary.failures ? 1 : 0;
  if (server && exitCode) {
    const kept = join(tmpdir(), `dockpulse-fuzz-${seed}.log`);
    copyFileSync(join(scratch, 'server.log'), kept);
    log(`server log kept in ${kept}`);
  }
} finally {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  await database?.drop().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
