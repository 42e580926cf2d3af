// npm run bench:live: live fan-out (issue 6). 1,000 simulated hosts stream one metrics frame a
// second (5 containers each) while 100 dashboards each watch 10 of those containers, 1 host and 1
// container of the saturating agents below. Latency from an agent's send to a dashboard's receipt
// is measured from the sample's own timestamp (same clock). Then 8 more agents push as much as the
// server takes (1,000-row frames) while the fleet keeps streaming: a warm-up, then without the
// dashboards, with them twice, without again, each from a settled machine. Dashboards run in a
// worker thread (bench/live-dashboards.mjs).
// Needs DATABASE_URL (a PostgreSQL server; a fresh database is created there and dropped).
// Options: --hosts=1000 --dashboards=100 --duration=30 (seconds per phase)
import { parseArgs } from 'node:util';
import { connectFleet, dashboardsWorker, registerContainers, sample, streamFleet } from './fleet.mjs';
import { cpuSecondsOf, enrollHosts, freshDatabase, log, percentile, processUsage, settle, startServer, table } from './lib.mjs';

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
  const own0 = processUsage(process.pid).cpuSeconds;
  const pg0 = cpuSecondsOf('postgres');
  await sleep(ms);
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  running = false;
  await sleep(3000);
  return {
    rowsPerSecond: rows / elapsed,
    serverCpu: (processUsage(server.child.pid).cpuSeconds - cpu0) / elapsed,
    // This process: the load generator and the dashboards' worker thread.
    benchCpu: (processUsage(process.pid).cpuSeconds - own0) / elapsed,
    postgresCpu: (cpuSecondsOf('postgres') - pg0) / elapsed,
  };
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
    let stopFleet = streamFleet(fleet);
    // Each saturation phase starts from a settled machine; the fleet pauses meanwhile, as its minutes still filling count as backlog.
    const settled = async () => {
      stopFleet();
      await settle(server, database.url);
      stopFleet = streamFleet(fleet);
      await sleep(2000);
    };
    await sleep(2000);
    log(`latency phase: the fleet streams for ${PHASE_MS / 1000} s`);
    const rssBefore = processUsage(server.child.pid).rss;
    dashboards.record(true);
    await sleep(PHASE_MS);
    dashboards.record(false);
    const streaming = await dashboards.report();
    const rssAfter = processUsage(server.child.pid).rss;

    // The first saturated phase of a run ran 15-25 % faster than every later one (the tables still
    // fit in shared buffers), so one unmeasured phase comes first, then without, with, with, without:
    // a steady drift weighs on both sides alike.
    log('saturation warm-up (not measured)');
    await dashboards.close();
    await settled();
    await saturate(server, saturating, PHASE_MS / 2);
    const phase = async (name, withDashboards) => {
      log(`saturation: ${name}`);
      await settled();
      if (withDashboards) {
        await openDashboards();
        dashboards.record(true);
      }
      const result = await saturate(server, saturating, PHASE_MS);
      if (withDashboards) {
        dashboards.record(false);
        result.report = await dashboards.report();
        await dashboards.close();
      }
      return result;
    };
    const without1 = await phase('1/4, without dashboards', false);
    const with1 = await phase('2/4, with the dashboards', true);
    const with2 = await phase('3/4, with the dashboards', true);
    const without2 = await phase('4/4, without dashboards', false);
    const withDashboards = { rowsPerSecond: (with1.rowsPerSecond + with2.rowsPerSecond) / 2 };
    const underLoad = { latencies: [...with1.report.latencies, ...with2.report.latencies], frames: with1.report.frames + with2.report.frames };
    stopFleet();
    const baseline = (without1.rowsPerSecond + without2.rowsPerSecond) / 2;
    const errors = fleet.reduce((n, a) => n + (a.errors ?? 0), 0);
    const phases = [without1, with1, with2, without2];
    const cores = (key) => `${phases.map((p) => p[key].toFixed(2)).join(' / ')} cores`;
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
        ['ingest at saturation, without / with / with / without dashboards', phases.map((p) => Math.round(p.rowsPerSecond).toLocaleString()).join(' / ') + ` rows/s, ${underLoad.frames.toLocaleString()} frames delivered`],
        ['server CPU, same phases', cores('serverCpu')],
        ['PostgreSQL CPU, same phases', cores('postgresCpu')],
        ['load generator and dashboards CPU, same phases', cores('benchCpu')],
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
