// npm run bench:live: live fan-out (issue 6). 1,000 simulated hosts stream one metrics frame a
// second (5 containers each) while 100 dashboards each watch 10 containers and 1 host; the latency
// from an agent's send to a dashboard's receipt is measured from the sample's own timestamp (same
// clock). Then ingest throughput at saturation (8 agents, 1,000-row frames) is measured with no
// dashboard and with the 100 dashboards also watching the saturating containers.
// Needs DATABASE_URL (a PostgreSQL server; a fresh database is created there and dropped).
// Options: --hosts=1000 --dashboards=100 --duration=30 (seconds of the latency phase)
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { connectAgent, enrollHosts, freshDatabase, log, percentile, processUsage, startServer, table } from './lib.mjs';

const { values: opts } = parseArgs({ options: { hosts: { type: 'string', default: '1000' }, dashboards: { type: 'string', default: '100' }, duration: { type: 'string', default: '30' } } });
const HOSTS = Number(opts.hosts);
const DASHBOARDS = Number(opts.dashboards);
const DURATION_MS = Number(opts.duration) * 1000;
const PER_HOST = 5;
const SATURATING_AGENTS = 8;
const WINDOW = 8;
const SAT_CONTAINERS = 25;
const SAT_SAMPLES = 40;

if (!process.env.DATABASE_URL) {
  console.error('npm run bench:live needs DATABASE_URL pointing at a PostgreSQL server.');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dockerId = (h, i) => `${h.toString(16).padStart(6, '0')}${i.toString(16).padStart(4, '0')}`.padEnd(64, 'c');

async function api(server, token, path, body) {
  const res = await fetch(`${server.base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Posts each host's inventory and returns, per host, the API ids of its containers by Docker id. */
async function registerContainers(server, hosts, perHost, idOf) {
  for (let i = 0; i < hosts.length; i += 50) {
    await Promise.all(
      hosts.slice(i, i + 50).map(async (host, j) => {
        const inventory = Array.from({ length: perHost }, (_, c) => ({ dockerId: idOf(i + j, c), name: `c-${i + j}-${c}`, image: 'app:1', state: 'running' }));
        await api(server, host.agentToken, '/api/agent/containers', inventory);
        const listed = await api(server, hosts.accessToken, `/api/hosts/${host.hostId}/containers`);
        host.containerIds = new Map(listed.map((c) => [c.dockerId, c.id]));
      }),
    );
  }
}

/** A dashboard: ticket, socket, subscription; records the latency of every metrics sample it gets. */
async function openDashboard(server, token, topics, latencies) {
  const { ticket } = await api(server, token, '/api/live/tickets', {});
  const socket = new WebSocket(`${server.base.replace('http', 'ws')}/live?ticket=${encodeURIComponent(ticket)}`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const dashboard = { socket, frames: 0, record: false };
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw);
    if (frame.type !== 'metrics') return;
    dashboard.frames++;
    if (!dashboard.record) return;
    const now = Date.now();
    for (const sample of frame.data) latencies.push(now - Date.parse(sample.ts));
  });
  socket.send(JSON.stringify({ type: 'subscribe', topics }));
  return dashboard;
}

const sample = (id, ts, n) =>
  `{"containerId":"${id}","ts":${ts},"cpuPercent":${n % 100},"memoryUsed":${1e8 + n},"memoryLimit":2000000000,"networkRx":${n * 10},"networkTx":${n * 5},"blockRead":${n},"blockWrite":${n * 2},"pids":5}`;

/** Latency phase: every host sends one frame a second, stamped with the send time. */
async function streamPhase(agents, dashboards, latencies) {
  let errors = 0;
  let acks = 0;
  for (const agent of agents) agent.onAnswer = (frame) => (frame.type === 'ack' ? acks++ : errors++);
  for (const d of dashboards) d.record = true;
  const timers = agents.map((agent, h) =>
    setTimeout(() => {
      agent.timer = setInterval(() => {
        const ts = Math.max(Date.now(), agent.lastTs + 1);
        agent.lastTs = ts;
        const items = Array.from({ length: PER_HOST }, (_, c) => sample(dockerId(h, c), ts, ++agent.n));
        agent.socket.send(`{"type":"metrics","seq":${++agent.seq},"data":[${items.join(',')}]}`);
      }, 1000);
    }, (h * 1000) / agents.length),
  );
  await sleep(DURATION_MS);
  timers.forEach(clearTimeout);
  for (const agent of agents) clearInterval(agent.timer);
  for (const d of dashboards) d.record = false;
  await sleep(2000);
  return { acks, errors };
}

/** Saturation phase: SATURATING_AGENTS agents keep WINDOW frames of 1,000 rows in flight. */
async function saturate(server, agents, seconds) {
  let rows = 0;
  let measuring = false;
  let running = true;
  const send = (agent) => {
    const items = [];
    for (let s = 0; s < SAT_SAMPLES; s++) {
      agent.satTs++;
      for (let c = 0; c < SAT_CONTAINERS; c++) items.push(sample(agent.satIds[c], agent.satTs, s));
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
  await sleep(seconds * 1000);
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  running = false;
  await sleep(3000);
  return { rowsPerSecond: rows / elapsed, serverCpu: (processUsage(server.child.pid).cpuSeconds - cpu0) / elapsed };
}

async function main() {
  const database = await freshDatabase(process.env.DATABASE_URL);
  const server = await startServer({ DATABASE_URL: database.url });
  try {
    log(`enrolling ${HOSTS} hosts with ${PER_HOST} containers each`);
    const hosts = await enrollHosts(server.base, HOSTS);
    await registerContainers(server, hosts, PER_HOST, dockerId);
    const agents = [];
    for (let i = 0; i < hosts.length; i += 100) {
      agents.push(
        ...(await Promise.all(
          hosts.slice(i, i + 100).map(async (host) => {
            const agent = { host, seq: 0, n: 0, lastTs: 0, satTs: Date.now() - 3_600_000 };
            agent.socket = await connectAgent(server.base, host.agentToken, (frame) => agent.onAnswer?.(frame));
            return agent;
          }),
        )),
      );
    }
    log(`${agents.length} agents connected; opening ${DASHBOARDS} dashboards (10 containers + 1 host each)`);
    const latencies = [];
    const dashboards = [];
    for (let d = 0; d < DASHBOARDS; d++) {
      const topics = [`host:${hosts[d % HOSTS].hostId}`];
      for (let k = 0; k < 10; k++) {
        const host = hosts[(d * 7 + k * 13) % HOSTS];
        topics.push(`container:${[...host.containerIds.values()][k % PER_HOST]}:metrics`);
      }
      dashboards.push(await openDashboard(server, hosts.accessToken, topics, latencies));
    }
    await sleep(1000);
    log(`latency phase: ${HOSTS} hosts × 1 frame/s for ${DURATION_MS / 1000} s`);
    const rssBefore = processUsage(server.child.pid).rss;
    const stream = await streamPhase(agents, dashboards, latencies);
    const rssAfter = processUsage(server.child.pid).rss;
    latencies.sort((a, b) => a - b);

    log('saturation without dashboards (its first frames also create the saturating containers)');
    const satAgents = agents.slice(0, SATURATING_AGENTS);
    for (const [a, agent] of satAgents.entries()) agent.satIds = Array.from({ length: SAT_CONTAINERS }, (_, c) => dockerId(HOSTS + a, c));
    for (const d of dashboards) d.socket.close();
    const without = await saturate(server, satAgents, 20);
    log('saturation with the dashboards watching them');
    const satContainerIds = [];
    for (const agent of satAgents) {
      const listed = await api(server, hosts.accessToken, `/api/hosts/${agent.host.hostId}/containers`);
      satContainerIds.push(...listed.filter((c) => agent.satIds.includes(c.dockerId)).map((c) => c.id));
    }
    const watchers = [];
    for (let d = 0; d < DASHBOARDS; d++) {
      const topics = Array.from({ length: 10 }, (_, k) => `container:${satContainerIds[(d * 3 + k * 17) % satContainerIds.length]}:metrics`);
      watchers.push(await openDashboard(server, hosts.accessToken, topics, []));
    }
    await sleep(1000);
    const withDashboards = await saturate(server, satAgents, 20);
    const delivered = watchers.reduce((n, d) => n + d.frames, 0);

    console.log(
      `\n${table([
        ['measure', 'value'],
        ['agent frame → dashboard frame p50 / p99 / max', `${percentile(latencies, 50)} / ${percentile(latencies, 99)} / ${latencies.at(-1)} ms (${latencies.length.toLocaleString()} samples)`],
        ['latency phase acks / errors', `${stream.acks.toLocaleString()} / ${stream.errors}`],
        ['server RSS before / after latency phase', `${(rssBefore / 2 ** 20).toFixed(0)} / ${(rssAfter / 2 ** 20).toFixed(0)} MiB`],
        ['ingest without dashboards', `${Math.round(without.rowsPerSecond).toLocaleString()} rows/s (server ${without.serverCpu.toFixed(2)} cores)`],
        ['ingest with 100 dashboards watching', `${Math.round(withDashboards.rowsPerSecond).toLocaleString()} rows/s (server ${withDashboards.serverCpu.toFixed(2)} cores), ${delivered.toLocaleString()} frames delivered`],
        ['ratio with / without', (withDashboards.rowsPerSecond / without.rowsPerSecond).toFixed(2)],
      ])}`,
    );
    for (const d of watchers) d.socket.close();
    for (const agent of agents) agent.socket.close();
  } finally {
    await server.stop();
    await database.drop();
  }
}

await main();
