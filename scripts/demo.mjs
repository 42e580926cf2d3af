// `npm run demo`: the API on an embedded database plus a simulated fleet of 5 hosts, so there is
// data to look at within seconds, then one alert firing (demo-alert.mjs; DEMO_ALERT=0 skips it).
// Ctrl-C stops the fleet, then the API, cleanly.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const PORT = process.env.PORT ?? '3000';
const DATA_DIR = process.env.DATA_DIR ?? './data-demo';
const BASE = `http://127.0.0.1:${PORT}`;
const EMAIL = 'demo@dockpulse.local';
const PASSWORD = 'DockPulse-demo-1';
const FLEET = { hosts: 5, containersPerHost: 4, intervalMs: 2_000 };

for (const built of ['dist/main.js', 'packages/sim/dist/fleet.js']) {
  if (!existsSync(built)) {
    console.error(`demo: ${built} is missing; run \`npm run build\` first (or use \`npm run demo\`)`);
    process.exit(1);
  }
}
const { SimulatedFleet, ApiClient, ApiError } = await import('@dockpulse/sim');
const { showAlert } = await import('./demo-alert.mjs');

const say = (line = '') => console.log(line);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Readiness is judged by GET /api/ready: a server already on the port would pass for ours.
if (await fetch(`${BASE}/api/health`).then(() => true, () => false)) {
  console.error(`demo: something already answers on ${BASE}; stop it or choose another PORT`);
  process.exit(1);
}

// The API's own log goes through, prefixed, at `warn` unless LOG_LEVEL says otherwise: the demo's
// lines are what the reader came for.
// Its own process group, so Ctrl-C reaches only the demo, which stops the fleet first and then
// the API: the API's shutdown then has every last frame to acknowledge.
const api = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
  // The alert step's webhook receiver listens on 127.0.0.1, which channels may only point at with this.
  env: { ...process.env, PORT, DATA_DIR, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', NOTIFY_ALLOW_PRIVATE: 'true' },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
process.on('exit', () => api.exitCode === null && api.signalCode === null && api.kill('SIGTERM'));
let fleet;
let progress;
let stopping;
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
for (const stream of [api.stdout, api.stderr]) {
  stream.setEncoding('utf8');
  stream.on('data', (text) => process.stdout.write(text.replace(/^(?=.)/gm, '[api] ')));
}
const apiExited = new Promise((resolve) => api.once('exit', (code, signal) => resolve({ code, signal })));
let shuttingDown = false;
void apiExited.then(({ code, signal }) => {
  if (shuttingDown) return;
  console.error(`demo: the API exited unexpectedly (${signal ?? `code ${code}`}); is port ${PORT} already in use?`);
  process.exit(1);
});

say(`Starting the DockPulse API on ${BASE} (embedded database in ${DATA_DIR}) …`);
await waitUntilReady();

const client = new ApiClient(BASE);
let token;
try {
  token = await client.authenticate({ email: EMAIL, password: PASSWORD, organization: 'DockPulse demo' });
} catch (error) {
  const hint = error instanceof ApiError && error.status === 409 ? ` (${EMAIL} exists with another password: use a fresh DATA_DIR)` : '';
  await shutdown(1, `demo: could not sign in as ${EMAIL}: ${error.message}${hint}`);
}

fleet = new SimulatedFleet({ server: BASE, userToken: token, namePrefix: 'demo-host', ...FLEET });
const startedAt = Date.now();

say(`Starting a simulated fleet: ${FLEET.hosts} hosts × ${FLEET.containersPerHost} containers, every ${FLEET.intervalMs / 1000} s …`);
await fleet.start();
await fleet.waitUntilConnected(30_000);
progress = setInterval(() => {
  const s = fleet.stats();
  const errors = s.errorsTotal ? Object.entries(s.errors).map(([code, n]) => `${code}=${n}`).join(' ') : '0';
  say(`[demo ${String(Math.round((Date.now() - startedAt) / 1000)).padStart(4)}s] ${s.hostsConnected}/${s.hosts} hosts online · ${s.rowsAcked.total} rows acked (metrics ${s.rowsAcked.metrics}, logs ${s.rowsAcked.logs}, processes ${s.rowsAcked.processes}) · errors ${errors}`);
}, 5_000);

// Wait for the first round to be stored, so the links below point at containers that exist.
while (fleet.stats().rowsAcked.metrics === 0 && Date.now() - startedAt < 30_000) await sleep(200);
await printGuide().catch((error) => shutdown(1, `demo: ${error.message}`));
if (process.env.DEMO_ALERT !== '0') await showAlert({ base: BASE, token: await client.login(EMAIL, PASSWORD), fleet, say }).catch((error) => shutdown(1, `demo: alert step: ${error.message}`));

async function waitUntilReady() {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/api/ready`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  await shutdown(1, `demo: ${BASE}/api/ready did not answer 200 within 2 minutes`);
}

/** Prints how to log in and what to look at, listing only the endpoints this build serves. */
async function printGuide() {
  const freshToken = await client.login(EMAIL, PASSWORD);
  const [host] = fleet.hosts();
  const containers = await client.get(`/hosts/${host.hostId}/containers`);
  const containerId = containers[0]?.id;
  const hour = new Date(Date.now() - 3_600_000).toISOString();
  // Endpoints of CONTRACT.md, some of which later releases add: each is probed with real ids,
  // so a 404 means "not in this build" and the line is left out.
  const candidates = [
    '/api/hosts',
    `/api/hosts/${host.hostId}`,
    `/api/hosts/${host.hostId}/containers?state=running`,
    containerId && `/api/containers/${containerId}`,
    containerId && `/api/containers/${containerId}/metrics?bucket=1m`,
    containerId && `/api/containers/${containerId}/logs?limit=20`,
    `/api/hosts/${host.hostId}/metrics?from=${hour}`,
    `/api/hosts/${host.hostId}/processes`,
    '/api/metrics/containers/history?hours=1&limit=20',
    '/api/storage/health',
    '/api/ready',
    '/metrics',
    '/docs',
  ].filter(Boolean);
  const served = [];
  for (const path of candidates) {
    const response = await fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${freshToken}` } });
    await response.arrayBuffer();
    if (response.status !== 404) served.push(path);
  }
  say();
  say('DockPulse demo is running. Data is flowing; Ctrl-C stops everything.');
  say();
  say(`  login     ${EMAIL} / ${PASSWORD}`);
  say(`  token     curl -s -X POST ${BASE}/api/auth/login -H 'content-type: application/json' -d '{"email":"${EMAIL}","password":"${PASSWORD}"}'`);
  say();
  say('  ready to paste (this token is valid for an hour):');
  say(`    export TOKEN=${freshToken}`);
  say(`    curl -s -H "authorization: Bearer $TOKEN" ${BASE}/api/hosts`);
  say();
  say('  look at:');
  for (const path of served) say(`    ${BASE}${path}`);
  say();
}

async function shutdown(code, message) {
  if (message) console.error(message);
  if (stopping) return stopping;
  shuttingDown = true;
  stopping = (async () => {
    clearInterval(progress);
    if (fleet) {
      say('Stopping the fleet …');
      await fleet.stop(5_000);
      const s = fleet.stats();
      say(`Fleet stopped: ${s.framesSent} frames sent, ${s.acks} acked, ${s.errorsTotal} errors, ${s.rowsAcked.total} rows acked.`);
    }
    say('Stopping the API …');
    api.kill('SIGTERM');
    const killer = setTimeout(() => api.kill('SIGKILL'), 15_000);
    await apiExited;
    clearTimeout(killer);
    say('Stopped.');
    process.exit(code);
  })();
  return stopping;
}
