// npm run bench:live: live fan-out (issue 6). 1,000 simulated hosts stream one metrics frame a
// second (5 containers each) while 100 dashboards each watch 10 of those containers, 1 host and 1
// container of the saturating agents below. Latency from an agent's send to a dashboard's receipt
// is measured from the sample's own timestamp (same clock). Then 8 more agents push as much as the
// server takes (1,000-row frames) while the fleet keeps streaming, three times: without the
// dashboards, with them, without again. Dashboards run in a worker thread (bench/live-dashboards.mjs).
// Needs DATABASE_URL (a PostgreSQL server; a fresh database is created there and dropped).
// Options: --hosts=1000 --dashboards=100 --duration=30 (seconds per phase)
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { connectAgent, enrollHosts, freshDatabase, log, percentile, processUsage, startServer, table } from './lib.mjs';

const { values: opts } = parseArgs({ options: { hosts: { type: 'string', default: '1000' }, dashboards: { type: 'string', default: '100' }, duration: { type: 'string', default: '30' } } });
const HOSTS = Number(opts.hosts);
const DASHBOARDS = Number(opts.dashboards);
const PHASE_MS = Number(opts.duration) * 1000;
const PER_HOST = 5;
const SATURATING = 8;
const WINDOW = 8;
const SAT_CONTAINERS = 25;
const SAT_SAMPLES = 40;

if (!process.env.DATABASE_URL) {
  console.error('npm run bench:live needs DATABASE_URL pointing at a PostgreSQL server.');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dockerId = (h, i) => `${h.toString(16).padStart(6, '0')}${i.toString(16).padStart(4, '0')}`.padEnd(64, 'c');
const sample = (id, ts, n) =>
  `{"containerId":"${id}","ts":${ts},"cpuPercent":${n % 100},"memoryUsed":${1e8 + n},"memoryLimit":2000000000,"networkRx":${n * 10},"networkTx":${n * 5},"blockRead":${n},"blockWrite":${n * 2},"pids":5}`;

async function api(server, token, path, body) {
  const res = await fetch(`${server.base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Posts each host's inventory; `host.containers` becomes [{dockerId, id}] in inventory order. */
async function registerContainers(server, hosts, accessToken, perHost, offset) {
  for (let i = 0; i < hosts.length; i += 50) {
    await Promise.all(
      hosts.slice(i, i + 50).map(async (host, j) => {
        const ids = Array.from({ length: perHost }, (_, c) => dockerId(offset + i + j, c));
        await api(server, host.agentToken, '/api/agent/containers', ids.map((dockerId, c) => ({ dockerId, name: `c-${offset + i + j}-${c}`, image: 'app:1', state: 'running' })));
        const byDockerId = new Map((await api(server, accessToken, `/api/hosts/${host.hostId}/containers`)).map((c) => [c.dockerId, c.id]));
        host.containers = ids.map((id) => ({ dockerId: id, id: byDockerId.get(id) }));
      }),
    );
  }
}

/** The fleet: every host sends one frame a second, spread evenly, samples stamped with the send time. */
function streamFleet(agents) {
  const timers = agents.map((agent, h) =>
    setTimeout(() => {
      agent.timer = setInterval(() => {
        const ts = (agent.lastTs = Math.max(Date.now(), agent.lastTs + 1));
        const items = agent.host.containers.map((c) => sample(c.dockerId, ts, ++agent.n));
        agent.socket.send(`{"type":"metrics","seq":${++agent.seq},"data":[${items.join(',')}]}`);
      }, 1000);
    }, (h * 1000) / agents.length),
  );
  return () => {
    timers.forEach(clearTimeout);
    for (const agent of agents) clearInterval(agent.timer);
  };
}

/** SATURATING agents keep WINDOW frames of 1,000 rows in flight for `ms`; returns acked rows/s. */
async function saturate(server, agents, ms) {
  let rows = 0;
  let measuring = false;
  let running = true;
  const send = (agent) => {
    const items = [];
    for (let s = 0; s < SAT_SAMPLES; s++) {
      agent.satTs++;
      for (const c of agent.host.containers) items.push(sample(c.dockerId, agent.satTs, s));
    }
    agent.socket.send(`{"type":"metrics","seq":${++agent.seq},"data":[${items.join(',')}]}`);
  };
  for (const agent of agents) {
    agent.onAnswer = (frame) => {
      if (frame.type === 'ack' && measuring) rows += SAT_CONTAINERS * SAT_SAMPLES;
      if (running) send(agent);
    };
    for (let i = 0; i < WINDOW; i++) send(agent);
  }
  await sleep(3000);
  measuring = true;
  const started = performance.now();
  const cpu0 = processUsage(server.child.pid).cpuSeconds;
  await sleep(ms);
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  running = false;
  await sleep(3000);
  return { rowsPerSecond: rows / elapsed, serverCpu: (processUsage(server.child.pid).cpuSeconds - cpu0) / elapsed };
}

function dashboardsWorker() {
  const worker = new Worker(new URL('./live-dashboards.mjs', import.meta.url));
  const ask = (message, answerKey) =>
    new Promise((resolve) => {
      const onMessage = (answer) => {
        if (!(answerKey in answer)) return;
        worker.off('message', onMessage);
        resolve(answer[answerKey]);
      };
      worker.on('message', onMessage);
      worker.postMessage(message);
    });
  return {
    open: (open) => ask({ open }, 'opened'),
    close: () => ask({ close: true }, 'closed'),
    record: (on) => worker.postMessage({ record: on }),
    report: () => ask({ report: true }, 'report'),
    stop: () => worker.terminate(),
  };
}

async function connect(server, hosts, satTs) {
  const agents = [];
  for (let i = 0; i < hosts.length; i += 100) {
    const batch = hosts.slice(i, i + 100).map(async (host) => {
      const agent = { host, seq: 0, n: 0, lastTs: 0, satTs };
      agent.socket = await connectAgent(server.base, host.agentToken, (frame) => agent.onAnswer?.(frame));
      return agent;
    });
    agents.push(...(await Promise.all(batch)));
  }
  return agents;
}

async function main() {
  const database = await freshDatabase(process.env.DATABASE_URL);
  const server = await startServer({ DATABASE_URL: database.url, AGENT_RATE_LIMIT: '0' });
  const dashboards = dashboardsWorker();
  try {
    log(`enrolling ${HOSTS} streaming hosts (${PER_HOST} containers each) and ${SATURATING} saturating ones (${SAT_CONTAINERS} each)`);
    const enrolled = await enrollHosts(server.base, HOSTS + SATURATING);
    const [fleetHosts, satHosts] = [enrolled.slice(0, HOSTS), enrolled.slice(HOSTS)];
    await registerContainers(server, fleetHosts, enrolled.accessToken, PER_HOST, 0);
    await registerContainers(server, satHosts, enrolled.accessToken, SAT_CONTAINERS, HOSTS);
    const fleet = await connect(server, fleetHosts, 0);
    const saturating = await connect(server, satHosts, Date.now() - 3_600_000);
    const satContainers = satHosts.flatMap((h) => h.containers);
    const topicSets = Array.from({ length: DASHBOARDS }, (_, d) => [
      `host:${fleetHosts[d % HOSTS].hostId}`,
      ...Array.from({ length: 10 }, (_, k) => `container:${fleetHosts[(d * 7 + k * 13) % HOSTS].containers[k % PER_HOST].id}:metrics`),
      `container:${satContainers[(d * 2) % satContainers.length].id}:metrics`,
    ]);
    const untimed = satContainers.map((c) => `container:${c.id}:metrics`);
    const openDashboards = () => dashboards.open({ base: server.base, token: enrolled.accessToken, topicSets, untimed });

    log(`${fleet.length + saturating.length} agents connected; ${await openDashboards()} dashboards subscribed`);
    for (const agent of fleet) agent.onAnswer = (frame) => (frame.type === 'ack' ? (agent.acks = (agent.acks ?? 0) + 1) : (agent.errors = (agent.errors ?? 0) + 1));
    const stopFleet = streamFleet(fleet);
    await sleep(2000);
    log(`latency phase: the fleet streams for ${PHASE_MS / 1000} s`);
    const rssBefore = processUsage(server.child.pid).rss;
    dashboards.record(true);
    await sleep(PHASE_MS);
    dashboards.record(false);
    const streaming = await dashboards.report();
    const rssAfter = processUsage(server.child.pid).rss;

    log('saturation 1/3: without dashboards');
    await dashboards.close();
    const without1 = await saturate(server, saturating, PHASE_MS);
    log('saturation 2/3: with the dashboards');
    await openDashboards();
    dashboards.record(true);
    const withDashboards = await saturate(server, saturating, PHASE_MS);
    dashboards.record(false);
    const underLoad = await dashboards.report();
    log('saturation 3/3: without dashboards again');
    await dashboards.close();
    const without2 = await saturate(server, saturating, PHASE_MS);
    stopFleet();
    const baseline = (without1.rowsPerSecond + without2.rowsPerSecond) / 2;
    const errors = fleet.reduce((n, a) => n + (a.errors ?? 0), 0);
    const lat = (r) => {
      const sorted = r.latencies.sort((a, b) => a - b);
      return `${percentile(sorted, 50)} / ${percentile(sorted, 99)} / ${sorted.at(-1)} ms (${sorted.length.toLocaleString()} samples)`;
    };
    console.log(
      `\n${table([
        ['measure', 'value'],
        [`agent frame → dashboard frame, fleet streaming: p50 / p99 / max`, lat(streaming)],
        ['the same (fleet samples) while 8 agents also saturate ingest', lat(underLoad)],
        ['fleet frames answered with an error', errors],
        ['server RSS before / after the latency phase', `${(rssBefore / 2 ** 20).toFixed(0)} / ${(rssAfter / 2 ** 20).toFixed(0)} MiB`],
        ['ingest at saturation without dashboards (before / after)', `${Math.round(without1.rowsPerSecond).toLocaleString()} / ${Math.round(without2.rowsPerSecond).toLocaleString()} rows/s`],
        ['ingest at saturation with the dashboards', `${Math.round(withDashboards.rowsPerSecond).toLocaleString()} rows/s, ${underLoad.frames.toLocaleString()} frames delivered`],
        ['server CPU without / with / without', `${without1.serverCpu.toFixed(2)} / ${withDashboards.serverCpu.toFixed(2)} / ${without2.serverCpu.toFixed(2)} cores`],
        ['ratio with / mean without', (withDashboards.rowsPerSecond / baseline).toFixed(2)],
      ])}`,
    );
    for (const agent of [...fleet, ...saturating]) agent.socket.close();
  } finally {
    await dashboards.stop();
    await server.stop();
    await database.drop();
  }
}

await main();
