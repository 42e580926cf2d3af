// npm run bench:live: live fan-out (issue 6). 1,000 simulated hosts stream one metrics frame a
// second (5 containers each) while 100 dashboards each watch 10 of those containers, 1 host and 1
// container of the saturating agents below. Latency from an agent's send to a dashboard's receipt
// is measured from the sample's own timestamp (same clock). Then 8 more agents push as much as the
// server takes (1,000-row frames) while the fleet keeps streaming, three times: without the
// dashboards, with them, without again. Dashboards run in a worker thread (bench/live-dashboards.mjs).
// Needs DATABASE_URL (a PostgreSQL server; a fresh database is created there and dropped).
// Options: --hosts=1000 --dashboards=100 --duration=30 (seconds per phase)
import { parseArgs } from 'node:util';
import { connectFleet, dashboardsWorker, registerContainers, sample, streamFleet } from './fleet.mjs';
import { enrollHosts, freshDatabase, log, percentile, processUsage, startServer, table } from './lib.mjs';

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

async function main() {
  const database = await freshDatabase(process.env.DATABASE_URL);
  const server = await startServer({ DATABASE_URL: database.url, AGENT_RATE_LIMIT: '0' });
  const dashboards = dashboardsWorker();
  try {
    log(`enrolling ${HOSTS} streaming hosts (${PER_HOST} containers each) and ${SATURATING} saturating ones (${SAT_CONTAINERS} each)`);
    const enrolled = await enrollHosts(server.base, HOSTS + SATURATING);
    const [fleetHosts, satHosts] = [enrolled.slice(0, HOSTS), enrolled.slice(HOSTS)];
    await registerContainers(server.base, fleetHosts, enrolled.accessToken, PER_HOST, 0);
    await registerContainers(server.base, satHosts, enrolled.accessToken, SAT_CONTAINERS, HOSTS);
    const fleet = await connectFleet(server.base, fleetHosts, 0);
    const saturating = await connectFleet(server.base, satHosts, Date.now() - 3_600_000);
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
