// npm run bench:alerts: the cost and speed of alerting (issue: alerts and notifications).
// 1. throughput: 1,000 hosts × 10 containers stream metrics as fast as acks allow (one frame in
//    flight per agent), in phases without, with, with and without 100 enabled rules (a realistic mix,
//    none of them firing), so what is measured is the cost of evaluating them.
// 2. latency: a quiet server, a `cpuPercent > 80 for 3s` rule and a `died` rule with a webhook
//    channel to a receiver in this process; from the frame that completes the window (or the `die`
//    frame) being sent to the webhook arriving.
// 3. storm: a `died` rule, then every container of every host dies at once; every alert must be
//    notified once, and the server's memory must stay bounded.
// Needs DATABASE_URL (a PostgreSQL server; a fresh database is created there and dropped).
// Options: --hosts=1000 --containers=10 --duration=10 (seconds per throughput phase) --window=1
// --samples=10 (samples per container in a throughput frame) --rounds=1 (blocks of four throughput phases) --latency=200 (containers timed)
// --only=throughput|latency|storm. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectAgent, enrollHosts, freshDatabase, log, percentile, processUsage, startServer, table } from './lib.mjs';

const { values: opts } = parseArgs({
  options: {
    hosts: { type: 'string', default: '1000' },
    containers: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    window: { type: 'string', default: '1' },
    samples: { type: 'string', default: '10' },
    latency: { type: 'string', default: '200' },
    only: { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
});
const HOSTS = Number(opts.hosts);
const CONTAINERS = Number(opts.containers);
const PHASE_MS = Number(opts.duration) * 1000;
/** Throughput blocks of four phases (without, with, with, without); more rounds average out a shared machine's drift. */
const ROUNDS = Number(opts.rounds);
const WINDOW = Number(opts.window);
const SAMPLES = Number(opts.samples);
const TIMED = Math.min(Number(opts.latency), HOSTS);
const ROWS_PER_FRAME = CONTAINERS * SAMPLES;
const STORM_TIMEOUT_MS = 600_000;

if (!process.env.DATABASE_URL) {
  console.error('npm run bench:alerts needs DATABASE_URL pointing at a PostgreSQL server (a fresh database is created there).');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes) => `${Math.round(bytes / 2 ** 20)} MiB`;
const n = (x) => Math.round(x).toLocaleString('en-US');
/** Fleet containers are `app-<host>-<i>`; each host also has one idle `lat-<host>` the latency runs time. */
const dockerId = (h, c) => `${h.toString(16).padStart(6, '0')}${c.toString(16).padStart(4, '0')}`.padEnd(64, 'a');
const LAT = CONTAINERS; // index of the latency container on its host

/** A REST call; a 503 (the API's connections all busy under load) is tried again, a few times, as a client should. */
async function api(server, token, method, path, body) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${server.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 503 && attempt < 5) {
      await res.text();
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  }
}

/** The server's `dockpulse_alerts_evaluation_backlog` gauge: committed frames waiting for alert evaluation. */
async function evaluationBacklog(server) {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  return Number(/^dockpulse_alerts_evaluation_backlog (\S+)/m.exec(text)?.[1] ?? NaN);
}

/** The webhook receiver: answers 200 at once and keeps every delivery with its arrival time. */
async function startReceiver() {
  const deliveries = [];
  const listeners = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const t = performance.now();
      res.writeHead(200).end('ok');
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const delivery = { t, deliveryId: req.headers['x-dockpulse-delivery'], event: body.event, alertId: body.alert?.id, ruleId: body.alert?.ruleId, containerId: body.alert?.subject?.containerId };
        deliveries.push(delivery);
        for (const listener of listeners) listener(delivery);
      } catch {}
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, deliveries, listeners, close: () => new Promise((r) => server.close(r)) };
}

/** One agent a host, each with its inventory (CONTAINERS fleet containers and one idle `lat-` one) acknowledged. */
async function connectFleet(server, hosts) {
  const agents = [];
  for (let i = 0; i < hosts.length; i += 100) {
    const batch = hosts.slice(i, i + 100).map(async (host, j) => {
      const h = i + j;
      const agent = { h, host, seq: 0, errors: 0, codes: {}, pending: new Map() };
      agent.socket = await connectAgent(server.base, host.agentToken, (frame) => {
        if (frame.type !== 'ack') {
          agent.errors++;
          agent.codes[frame.code] = (agent.codes[frame.code] ?? 0) + 1;
        }
        const resolve = agent.pending.get(frame.seq);
        agent.pending.delete(frame.seq);
        resolve?.(frame);
        agent.onAnswer?.(frame);
      });
      agent.request = (body) => new Promise((resolve) => {
        const seq = ++agent.seq;
        agent.pending.set(seq, resolve);
        agent.socket.send(JSON.stringify({ ...body, seq }));
      });
      agent.ids = Array.from({ length: CONTAINERS }, (_, c) => dockerId(h, c));
      agent.latId = dockerId(h, LAT);
      const inventory = [
        ...agent.ids.map((id, c) => ({ dockerId: id, name: `app-${h}-${c}`, image: 'app:1', state: 'running', labels: { tier: c % 2 ? 'worker' : 'web', 'com.docker.compose.project': `p${h % 20}` }, startedAt: Date.now() - 86_400_000 })),
        { dockerId: agent.latId, name: `lat-${h}`, image: 'app:1', state: 'running', labels: { tier: 'web' }, startedAt: Date.now() - 86_400_000 },
      ];
      const answer = await agent.request({ type: 'containers', data: inventory });
      if (answer.type !== 'ack') throw new Error(`inventory refused: ${JSON.stringify(answer)}`);
      return agent;
    });
    agents.push(...(await Promise.all(batch)));
  }
  return agents;
}

/** The 100 rules of the throughput run, created disabled: none fires with the values streamed. */
function hundredRules() {
  const metrics = [
    ['cpuPercent', 400],
    ['memoryPercent', 95],
    ['memoryUsed', 8e9],
    ['networkRxRate', 1e10],
    ['blockWriteRate', 1e10],
  ];
  const fors = ['10s', '30s', '1m', '2m', '5m'];
  const scopes = [{}, { containerNames: ['app-*'] }, { labels: { tier: 'web' } }, { containerNames: ['app-*-1', 'app-*-2', 'app-1*'] }, { labels: { 'com.docker.compose.project': 'p3' } }];
  const rules = [];
  for (let i = 0; i < 70; i++) {
    const [metric, threshold] = metrics[i % metrics.length];
    rules.push({ name: `metric ${i}`, severity: ['info', 'warning', 'critical'][i % 3], scope: scopes[Math.floor(i / 5) % scopes.length], condition: { type: 'container_metric', metric, op: '>', threshold: threshold * (1 + (i % 7) / 10), for: fors[Math.floor(i / 14) % fors.length] } });
  }
  const hostMetrics = ['cpuPercent', 'memoryPercent', 'diskPercent', 'load5', 'networkRxRate'];
  for (let i = 0; i < 10; i++) rules.push({ name: `host ${i}`, severity: 'warning', condition: { type: 'host_metric', metric: hostMetrics[i % 5], op: '>', threshold: 1e12, for: fors[i % fors.length] } });
  for (let i = 0; i < 10; i++) rules.push({ name: `log ${i}`, severity: 'warning', scope: scopes[i % scopes.length], condition: { type: 'log_match', q: `fatal error ${i}`, ...(i % 2 ? { stream: 'stderr' } : {}), count: 5, within: fors[i % fors.length] } });
  const events = [['died'], ['oom_killed'], ['unhealthy'], ['restart_loop'], ['died', 'oom_killed', 'restart_loop']];
  for (let i = 0; i < 10; i++) rules.push({ name: `event ${i}`, severity: 'critical', scope: { containerNames: ['nothing-*'] }, condition: { type: 'container_event', events: events[i % events.length] } });
  return rules.map((rule) => ({ ...rule, enabled: false }));
}

/** CONTAINERS × SAMPLES rows, samples 1 s apart, from a cursor that starts two hours back (every rule's window fills). */
function fleetFrame(agent) {
  agent.ts ??= Date.now() - 2 * 3_600_000;
  agent.k ??= 0;
  const items = [];
  for (let s = 0; s < SAMPLES; s++) {
    const ts = (agent.ts += 1000);
    const k = agent.k++;
    for (let c = 0; c < CONTAINERS; c++) {
      items.push(`{"containerId":"${agent.ids[c]}","ts":${ts},"cpuPercent":${5 + ((k * 7 + c * 13) % 45)},"memoryUsed":${2e8 + ((k * 1_000_003) % 5e7)},"memoryLimit":2000000000,"networkRx":${k * 5000},"networkTx":${k * 3000},"blockRead":${k * 100},"blockWrite":${k * 4096},"pids":7}`);
    }
  }
  return `{"type":"metrics","seq":${++agent.seq},"data":[${items.join(',')}]}`;
}

/** The fleet at a fixed rate: each agent sends a frame every period, spread evenly; `counter.rows` counts acked rows. */
function paceFleet(agents, rowsPerSecond, counter) {
  const periodMs = (1000 * agents.length * ROWS_PER_FRAME) / rowsPerSecond;
  for (const agent of agents) agent.onAnswer = (frame) => frame.type === 'ack' && (counter.rows += ROWS_PER_FRAME);
  const timers = agents.map((agent, i) => setTimeout(() => (agent.timer = setInterval(() => agent.socket.send(fleetFrame(agent)), periodMs)), (i * periodMs) / agents.length));
  return () => {
    timers.forEach(clearTimeout);
    for (const agent of agents) {
      clearInterval(agent.timer);
      agent.onAnswer = undefined;
    }
  };
}

/** Keeps WINDOW frames of CONTAINERS × SAMPLES rows in flight per agent; `counter.rows` counts acked rows while `counter.on`. */
function streamFleet(agents, counter) {
  let running = true;
  const send = (agent) => agent.socket.send(fleetFrame(agent));
  for (const agent of agents) {
    agent.onAnswer = (frame) => {
      if (frame.type === 'ack' && counter.on) counter.rows += ROWS_PER_FRAME;
      if (running) send(agent);
    };
  }
  agents.forEach((agent, i) => setTimeout(() => { for (let w = 0; w < WINDOW; w++) if (running) send(agent); }, (i * 500) / agents.length));
  return async () => {
    running = false;
    await sleep(3000);
    for (const agent of agents) agent.onAnswer = undefined;
  };
}

async function throughput(server, token, agents) {
  const ids = [];
  for (const rule of hundredRules()) ids.push((await api(server, token, 'POST', '/api/alert-rules', rule)).id);
  const setRules = async (enabled) => {
    for (let i = 0; i < ids.length; i += 10) await Promise.all(ids.slice(i, i + 10).map((id) => api(server, token, 'PATCH', `/api/alert-rules/${id}`, { enabled })));
  };
  const counter = { rows: 0, on: false };
  log(`throughput: ${agents.length} agents × window ${WINDOW} × ${ROWS_PER_FRAME} rows a frame (${CONTAINERS} containers × ${SAMPLES} samples); warming up 5 s`);
  const stop = streamFleet(agents, counter);
  await sleep(5000);
  const phases = [];
  // Without, with, with, without: throughput drifts down as the tables grow, and this order lets a
  // steady drift weigh on both sides alike (alternating would charge it to the rules).
  let enabled = false;
  for (const withRules of Array.from({ length: ROUNDS }, () => [false, true, true, false]).flat()) {
    if (withRules !== enabled) {
      const toggled = performance.now();
      await setRules((enabled = withRules));
      log(`  ${withRules ? 'enabling' : 'disabling'} the 100 rules (PATCH, 10 at a time) took ${Math.round(performance.now() - toggled)} ms`);
      await sleep(3000); // the change reaches the evaluators
    }
    const errors0 = agents.reduce((sum, a) => sum + a.errors, 0);
    const cpu0 = processUsage(server.child.pid).cpuSeconds;
    counter.rows = 0;
    counter.on = true;
    const started = performance.now();
    await sleep(PHASE_MS);
    counter.on = false;
    const seconds = (performance.now() - started) / 1000;
    const usage = processUsage(server.child.pid);
    const phase = { withRules, rowsPerSecond: counter.rows / seconds, serverCpu: (usage.cpuSeconds - cpu0) / seconds, rss: usage.rss, errors: agents.reduce((sum, a) => sum + a.errors, 0) - errors0, backlog: await evaluationBacklog(server) };
    phases.push(phase);
    log(`  ${withRules ? 'with 100 rules' : 'without rules '}: ${n(phase.rowsPerSecond)} rows/s, server ${phase.serverCpu.toFixed(2)} cores, ${mib(phase.rss)}, ${phase.errors} error answers, evaluation backlog ${phase.backlog} frames`);
  }
  await stop();
  const firing = await api(server, token, 'GET', '/api/alerts?state=all&limit=500');
  await setRules(false);
  const mean = (list) => list.reduce((s, p) => s + p.rowsPerSecond, 0) / list.length;
  const without = mean(phases.filter((p) => !p.withRules));
  const withRules = mean(phases.filter((p) => p.withRules));
  // Server CPU per acked row: steadier than throughput on a shared machine, and what the rules cost the server itself.
  const cpuPerRow = (list) => (1e6 * list.reduce((s, p) => s + p.serverCpu, 0)) / list.reduce((s, p) => s + p.rowsPerSecond, 0);
  return { phases, without, withRules, cpuPerRow: { without: cpuPerRow(phases.filter((p) => !p.withRules)), withRules: cpuPerRow(phases.filter((p) => p.withRules)) }, ratio: withRules / without, alertsOpened: firing.items.length, codes: mergeCodes(agents), setRules, ids };
}

function mergeCodes(agents) {
  const codes = {};
  for (const agent of agents) for (const [code, count] of Object.entries(agent.codes)) codes[code] = (codes[code] ?? 0) + count;
  return codes;
}

/** The `lat-` containers' ids as the API names them (alert subjects carry these). */
async function latencyContainerIds(server, token, agents) {
  const byDockerId = new Map();
  for (let i = 0; i < agents.length; i += 50) {
    await Promise.all(
      agents.slice(i, i + 50).map(async (agent) => {
        for (const c of await api(server, token, 'GET', `/api/hosts/${agent.host.hostId}/containers`)) if (c.dockerId === agent.latId) byDockerId.set(agent.latId, c.id);
      }),
    );
  }
  return byDockerId;
}

const summarize = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
};

/** t0 → webhook, per timed container, for one rule; `start(agent, i)` sends and returns t0 (a promise). */
async function timeRule(receiver, ruleId, timed, ids, start, label) {
  const arrived = new Map();
  const waiting = new Map();
  const listener = (d) => {
    if (d.ruleId !== ruleId || d.event !== 'firing' || arrived.has(d.containerId)) return;
    arrived.set(d.containerId, d.t);
    waiting.get(d.containerId)?.();
  };
  receiver.listeners.add(listener);
  const spreadMs = 10_000;
  const t0s = new Map();
  await Promise.all(
    timed.map(async (agent, i) => {
      await sleep((i * spreadMs) / timed.length);
      const id = ids.get(agent.latId);
      const done = new Promise((resolve) => waiting.set(id, resolve));
      t0s.set(id, await start(agent, done));
      await Promise.race([done, sleep(30_000)]);
    }),
  );
  receiver.listeners.delete(listener);
  const latencies = [];
  for (const [id, t0] of t0s) if (arrived.has(id) && t0 !== undefined) latencies.push(arrived.get(id) - t0);
  const s = summarize(latencies);
  log(`  ${label}: ${s.count}/${timed.length} notified, p50 ${Math.round(s.p50)} ms, p95 ${Math.round(s.p95)} ms, p99 ${Math.round(s.p99)} ms, max ${Math.round(s.max)} ms`);
  return { ...s, timed: timed.length };
}

async function latency(server, token, agents, receiver, channelId, offset = 0) {
  const timed = agents.slice(offset, offset + TIMED);
  const ids = await latencyContainerIds(server, token, timed);
  const base = { enabled: true, severity: 'critical', scope: { containerNames: ['lat-*'] }, channelIds: [channelId], notifyResolved: false };
  const cpuRule = await api(server, token, 'POST', '/api/alert-rules', { ...base, name: 'latency cpu', condition: { type: 'container_metric', metric: 'cpuPercent', op: '>', threshold: 80, for: '3s' } });
  const diedRule = await api(server, token, 'POST', '/api/alert-rules', { ...base, name: 'latency died', condition: { type: 'container_event', events: ['died'] } });
  log(`latency: ${timed.length} containers, staggered over 10 s, one real-time sample a second at 95 % CPU; rule cpuPercent > 80 for 3s`);
  // The 4th sample (3 s after the first) is the one whose window covers the whole `for`: t0 is its send.
  const metric = await timeRule(receiver, cpuRule.id, timed, ids, (agent, done) => {
    let stopped = false;
    done.then(() => (stopped = true));
    return new Promise((resolveT0) => {
      (async () => {
        for (let k = 0; k < 30 && !stopped; k++) {
          const ts = Date.now();
          if (k === 3) resolveT0(performance.now());
          agent.socket.send(`{"type":"metrics","seq":${++agent.seq},"data":[{"containerId":"${agent.latId}","ts":${ts},"cpuPercent":95,"memoryUsed":100000000,"memoryLimit":2000000000,"networkRx":${k},"networkTx":${k},"blockRead":${k},"blockWrite":${k},"pids":3}]}`);
          await sleep(1000);
        }
      })();
    });
  }, 'cpuPercent > 80 for 3s');
  log(`latency: the same ${timed.length} containers die (exit code 1), staggered over 10 s`);
  const died = await timeRule(receiver, diedRule.id, timed, ids, async (agent) => {
    const t0 = performance.now();
    agent.socket.send(JSON.stringify({ type: 'container_events', seq: ++agent.seq, data: [{ containerId: agent.latId, ts: Date.now(), action: 'die', exitCode: 1 }] }));
    return t0;
  }, 'died');
  await api(server, token, 'DELETE', `/api/alert-rules/${cpuRule.id}`);
  await api(server, token, 'DELETE', `/api/alert-rules/${diedRule.id}`);
  return { metric, died };
}

async function storm(server, token, agents, receiver, channelId) {
  const rule = await api(server, token, 'POST', '/api/alert-rules', { name: 'storm died', enabled: true, severity: 'critical', scope: { containerNames: ['app-*'] }, condition: { type: 'container_event', events: ['died'] }, channelIds: [channelId], notifyResolved: false });
  const expected = agents.length * CONTAINERS;
  const byAlert = new Map(); // alert id → delivery ids received (with repeats)
  let first;
  let last;
  const listener = (d) => {
    if (d.ruleId !== rule.id) return;
    first ??= d.t;
    if (!byAlert.has(d.alertId)) {
      byAlert.set(d.alertId, []);
      last = d.t;
    }
    byAlert.get(d.alertId).push(d.deliveryId);
  };
  receiver.listeners.add(listener);
  await sleep(2000);
  const before = processUsage(server.child.pid);
  let peakRss = before.rss;
  let peakBacklog = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, processUsage(server.child.pid).rss);
    evaluationBacklog(server).then((b) => (peakBacklog = Math.max(peakBacklog, b)), () => {});
  }, 1000);
  const acks = { ack: 0, error: 0 };
  log(`storm: ${agents.length} agents send \`die\` (exit code 1) for their ${CONTAINERS} containers at once: ${n(expected)} alerts expected`);
  const ts = Date.now();
  const sent = performance.now();
  await Promise.all(
    agents.map(async (agent) => {
      const answer = await agent.request({ type: 'container_events', data: agent.ids.map((id) => ({ containerId: id, ts, action: 'die', exitCode: 1 })) });
      acks[answer.type === 'ack' ? 'ack' : 'error']++;
    }),
  );
  const allAcked = performance.now() - sent;
  log(`  every die frame answered after ${Math.round(allAcked)} ms (${acks.ack} acks, ${acks.error} errors)`);
  const deadline = sent + STORM_TIMEOUT_MS;
  let lastLog = performance.now();
  while (byAlert.size < expected && performance.now() < deadline) {
    await sleep(250);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`  ${n(byAlert.size)} alerts notified after ${Math.round((performance.now() - sent) / 1000)} s, server ${mib(processUsage(server.child.pid).rss)}`);
    }
  }
  await sleep(5000); // late duplicates, if any
  clearInterval(sampler);
  receiver.listeners.delete(listener);
  const cpu = (processUsage(server.child.pid).cpuSeconds - before.cpuSeconds) / ((performance.now() - sent) / 1000);
  let duplicates = 0;
  let retries = 0;
  for (const deliveries of byAlert.values()) {
    const distinct = new Set(deliveries).size;
    duplicates += distinct - 1;
    retries += deliveries.length - distinct;
  }
  const opened = await countAlerts(server, token, rule.id);
  return { expected, opened, notified: byAlert.size, duplicates, retries, firstMs: first - sent, allMs: byAlert.size === expected ? last - sent : NaN, allAcked, acks, peakBacklog, rssBefore: before.rss, peakRss, rssAfter: processUsage(server.child.pid).rss, cpu };
}

/** Alerts of a rule stored, through the API (paged). */
async function countAlerts(server, token, ruleId) {
  let count = 0;
  let cursor;
  do {
    const page = await api(server, token, 'GET', `/api/alerts?state=all&ruleId=${ruleId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

async function main() {
  const only = opts.only;
  const database = await freshDatabase(process.env.DATABASE_URL);
  const receiver = await startReceiver();
  const server = await startServer({ DATABASE_URL: database.url, AGENT_RATE_LIMIT: '0', NOTIFY_ALLOW_PRIVATE: 'true', DATA_DIR: mkdtempSync(join(tmpdir(), 'dockpulse-bench-alerts-')) });
  const results = [['measure', 'figure', 'goal']];
  const summaries = [];
  try {
    log(`enrolling ${HOSTS} hosts with ${CONTAINERS} containers each`);
    const hosts = await enrollHosts(server.base, HOSTS);
    const token = hosts.accessToken;
    const agents = await connectFleet(server, hosts);
    const channel = await api(server, token, 'POST', '/api/notification-channels', { name: 'bench receiver', type: 'webhook', config: { url: receiver.url } });
    log(`${agents.length} agents connected, inventories acknowledged; server ${mib(processUsage(server.child.pid).rss)}`);

    let t;
    if (!only || only === 'throughput') {
      t = await throughput(server, token, agents);
      t.phases.forEach((p, i) => results.push([`throughput phase ${i + 1}, ${p.withRules ? 'with 100 rules' : 'without rules'} (rows/s acked; server cores; RSS; evaluation backlog at the end)`, `${n(p.rowsPerSecond)}; ${p.serverCpu.toFixed(2)}; ${mib(p.rss)}; ${p.backlog}`, '']));
      results.push(['throughput mean without / with 100 rules (rows/s)', `${n(t.without)} / ${n(t.withRules)}`, '']);
      results.push(['server CPU per acked row without / with 100 rules (µs)', `${t.cpuPerRow.without.toFixed(1)} / ${t.cpuPerRow.withRules.toFixed(1)}`, '']);
      results.push(['ratio with / without', t.ratio.toFixed(2), '≥ 0.95']);
      results.push(['error answers during throughput', JSON.stringify(t.codes), '']);
      results.push(['alerts opened by the 100 rules', t.alertsOpened, '0 (none should fire)']);
      summaries.push(`throughput: ${HOSTS} hosts × ${CONTAINERS} containers, ${n(t.without)} rows/s without rules, ${n(t.withRules)} rows/s with 100 rules, ratio ${t.ratio.toFixed(2)} (goal ≥ 0.95)`);
    }
    if (!only || only === 'latency') {
      const l = await latency(server, token, agents, receiver, channel.id);
      const row = (s) => `${Math.round(s.p50)} / ${Math.round(s.p95)} / ${Math.round(s.p99)} / ${Math.round(s.max)} ms (${s.count}/${s.timed})`;
      results.push(['cpuPercent > 80 for 3s: window complete → webhook, p50 / p95 / p99 / max (notified)', row(l.metric), 'p99 ≤ 2,000 ms']);
      results.push(['died: die frame sent → webhook, p50 / p95 / p99 / max (notified)', row(l.died), 'p99 ≤ 2,000 ms']);
      summaries.push(`latency (quiet server, ${TIMED} containers): metric rule p50 ${Math.round(l.metric.p50)} ms, p99 ${Math.round(l.metric.p99)} ms; died p50 ${Math.round(l.died.p50)} ms, p99 ${Math.round(l.died.p99)} ms (goal p99 ≤ 2 s)`);
      if (t && agents.length >= 2 * TIMED) {
        // Again on other containers, while the fleet streams at half the rate measured without rules and the 100 rules are on.
        const rate = t.without / 2;
        await t.setRules(true);
        const counter = { rows: 0 };
        const errors0 = agents.reduce((sum, a) => sum + a.errors, 0);
        log(`latency under load: the fleet streams ${n(rate)} rows/s with the 100 rules enabled; 10 s to settle`);
        const stopPace = paceFleet(agents, rate, counter);
        await sleep(10_000);
        counter.rows = 0;
        const started = performance.now();
        const cpu0 = processUsage(server.child.pid).cpuSeconds;
        const loaded = await latency(server, token, agents, receiver, channel.id, TIMED);
        const backlog = await evaluationBacklog(server);
        const seconds = (performance.now() - started) / 1000;
        const cores = (processUsage(server.child.pid).cpuSeconds - cpu0) / seconds;
        stopPace();
        const errors = agents.reduce((sum, a) => sum + a.errors, 0) - errors0;
        await sleep(3000);
        await t.setRules(false);
        results.push([`under load (${n(counter.rows / seconds)} rows/s acked, 100 rules on, server ${cores.toFixed(2)} cores, ${errors} error answers, evaluation backlog ${backlog} frames at the end): cpuPercent rule`, row(loaded.metric), '']);
        results.push(['under load: died', row(loaded.died), '']);
        summaries.push(`latency under load (${n(counter.rows / seconds)} rows/s, 100 rules on): metric rule p50 ${Math.round(loaded.metric.p50)} ms, p99 ${Math.round(loaded.metric.p99)} ms; died p50 ${Math.round(loaded.died.p50)} ms, p99 ${Math.round(loaded.died.p99)} ms`);
      }
    }
    if (t) for (const id of t.ids) await api(server, token, 'DELETE', `/api/alert-rules/${id}`);
    if (!only || only === 'storm') {
      const s = await storm(server, token, agents, receiver, channel.id);
      results.push(['storm: alerts expected / stored / notified', `${n(s.expected)} / ${n(s.opened)} / ${n(s.notified)}`, 'all']);
      results.push(['storm: duplicates (same alert, another delivery id) / retries (same delivery id)', `${s.duplicates} / ${s.retries}`, '0 duplicates']);
      results.push(['storm: die frames answered after', `${Math.round(s.allAcked)} ms (${JSON.stringify(s.acks)})`, '']);
      results.push(['storm: first / all notified after', `${(s.firstMs / 1000).toFixed(1)} s / ${Number.isNaN(s.allMs) ? `not all within ${STORM_TIMEOUT_MS / 1000} s` : `${(s.allMs / 1000).toFixed(1)} s`}`, '']);
      results.push(['storm: server RSS before / peak / after', `${mib(s.rssBefore)} / ${mib(s.peakRss)} / ${mib(s.rssAfter)}`, 'bounded']);
      results.push(['storm: server CPU; peak evaluation backlog', `${s.cpu.toFixed(2)} cores; ${s.peakBacklog} frames`, '']);
      summaries.push(`storm: ${n(s.notified)} of ${n(s.expected)} alerts notified (${n(s.opened)} stored), ${s.duplicates} duplicates, ${s.retries} retries, all within ${Number.isNaN(s.allMs) ? 'timeout' : `${(s.allMs / 1000).toFixed(1)} s`}; server RSS ${mib(s.rssBefore)} before, ${mib(s.peakRss)} peak`);
    }
    results.push(['error answers over the whole run, by code', JSON.stringify(mergeCodes(agents)), '']);
    for (const agent of agents) agent.socket.close();
  } finally {
    await server.stop();
    await receiver.close();
    await database.drop();
  }
  console.log(`\nDockPulse alerts benchmark (${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version})\n`);
  console.log(table(results));
  console.log(`\n${summaries.join('\n')}`);
}

await main();
