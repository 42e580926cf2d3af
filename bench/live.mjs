// npm run bench:live: live fan-out (issue 6). 1,000 simulated hosts stream one metrics frame a
// second (5 containers each) while 100 dashboards each watch 10 of those containers, 1 host and 1
// container of the saturating agents below. Latency from an agent's send to a dashboard's receipt
// is measured from the sample's own timestamp (same clock). Then 8 more agents push as much as the
// server takes (1,000-row frames) while the fleet keeps streaming: a warm-up, then short slices
// without and with the dashboards, alternating (without, with, with, without, …). Dashboards run in
// a worker thread (bench/live-dashboards.mjs).
// Needs DATABASE_URL (a PostgreSQL server; a fresh database is created there and dropped).
// Options: --hosts=1000 --dashboards=100 --duration=30 (seconds of the latency phase) --slices=16 --slice=10 (seconds measured per slice)
import { parseArgs } from 'node:util';
import { connectFleet, dashboardsWorker, registerContainers, sample, streamFleet } from './fleet.mjs';
import { cpuSecondsOf, enrollHosts, freshDatabase, log, percentile, processUsage, settle, startServer, table } from './lib.mjs';

const { values: opts } = parseArgs({
  options: { hosts: { type: 'string', default: '1000' }, dashboards: { type: 'string', default: '100' }, duration: { type: 'string', default: '30' }, slices: { type: 'string', default: '16' }, slice: { type: 'string', default: '10' } },
});
const HOSTS = Number(opts.hosts);
const DASHBOARDS = Number(opts.dashboards);
const PHASE_MS = Number(opts.duration) * 1000;
const SLICES = Math.max(4, Math.round(Number(opts.slices) / 4) * 4);
const SLICE_MS = Number(opts.slice) * 1000;
const LEAD_IN_MS = 2000;
const WARM_UP_MS = 30_000;
const PER_HOST = 5;
const SATURATING = 8;
const WINDOW = 8;
const SAT_CONTAINERS = 25;
const SAT_SAMPLES = 40;
/**
 * Milliseconds between a saturating container's samples. At 1 ms a container's minute held 60,000
 * samples and filled for two minutes, so the rollup worker reread it at every bound of its hold
 * (20 s) and took a PostgreSQL core of its own; at 10 ms a minute fills in about 12 s and is
 * recomputed about once, as a real agent's (1 s apart) is. One hour of them lasts the whole run.
 */
const SAT_SPACING_MS = 10;

if (!process.env.DATABASE_URL) {
  console.error('npm run bench:live needs DATABASE_URL pointing at a PostgreSQL server.');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * SATURATING agents keep WINDOW frames of 1,000 rows in flight until stop(); measure(ms) counts the
 * rows acked and the CPU used (server, PostgreSQL, this process) over the next `ms`.
 */
function saturate(server, agents) {
  let rows = 0;
  let running = true;
  const send = (agent) => {
    const items = [];
    for (let s = 0; s < SAT_SAMPLES; s++) {
      agent.satTs += SAT_SPACING_MS;
      for (const c of agent.host.containers) items.push(sample(c.dockerId, agent.satTs, s));
    }
    agent.socket.send(`{"type":"metrics","seq":${++agent.seq},"data":[${items.join(',')}]}`);
  };
  for (const agent of agents) {
    agent.onAnswer = (frame) => {
      if (frame.type === 'ack') rows += SAT_CONTAINERS * SAT_SAMPLES;
      if (running) send(agent);
    };
    for (let i = 0; i < WINDOW; i++) send(agent);
  }
  const usage = () => ({ rows, at: performance.now(), server: processUsage(server.child.pid).cpuSeconds, own: processUsage(process.pid).cpuSeconds, pg: cpuSecondsOf('postgres') });
  return {
    async measure(ms) {
      const a = usage();
      await sleep(ms);
      const b = usage();
      const seconds = (b.at - a.at) / 1000;
      return { seconds, rows: b.rows - a.rows, serverCpu: b.server - a.server, benchCpu: b.own - a.own, postgresCpu: b.pg - a.pg };
    },
    async stop() {
      running = false;
      await sleep(3000);
    },
  };
}

/** Sums slices into rows/s and cores over their time. */
function summed(slices) {
  const seconds = slices.reduce((n, s) => n + s.seconds, 0);
  const total = (key) => slices.reduce((n, s) => n + s[key], 0) / seconds;
  return { rowsPerSecond: total('rows'), serverCpu: total('serverCpu'), postgresCpu: total('postgresCpu'), benchCpu: total('benchCpu') };
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

    // Saturated ingest with and without the dashboards, in short alternating slices of one
    // continuous run (ABBA…): the rollup worker's passes, checkpoints and autovacuum, which swung
    // separate 30 s phases by up to 40 % on their own, then fall on both sides alike. Each slice
    // starts with the dashboards connected or closed, and a lead-in that is not measured.
    log('saturation warm-up (not measured)');
    await dashboards.close();
    await settled();
    const load = saturate(server, saturating);
    await sleep(WARM_UP_MS);
    const slices = { with: [], without: [] };
    let underLoad = { latencies: [], frames: 0 };
    for (let i = 0; i < SLICES; i++) {
      const withDashboards = [1, 2].includes(i % 4);
      log(`slice ${i + 1}/${SLICES}: ${withDashboards ? 'with' : 'without'} dashboards`);
      if (withDashboards) await openDashboards();
      await sleep(LEAD_IN_MS);
      dashboards.record(withDashboards);
      const slice = await load.measure(SLICE_MS);
      if (withDashboards) {
        dashboards.record(false);
        const report = await dashboards.report();
        underLoad = { latencies: underLoad.latencies.concat(report.latencies), frames: underLoad.frames + report.frames };
        await dashboards.close();
      }
      slices[withDashboards ? 'with' : 'without'].push(slice);
    }
    await load.stop();
    stopFleet();
    const errors = fleet.reduce((n, a) => n + (a.errors ?? 0), 0);
    const [without, withDashboards] = [summed(slices.without), summed(slices.with)];
    const perSlice = (list) => list.map((slice) => Math.round(slice.rows / slice.seconds / 1000)).join(', ');
    const cores = (key) => `${without[key].toFixed(2)} / ${withDashboards[key].toFixed(2)} cores (${((1e6 * without[key]) / without.rowsPerSecond).toFixed(1)} / ${((1e6 * withDashboards[key]) / withDashboards.rowsPerSecond).toFixed(1)} µs a row)`;
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
        [`ingest at saturation, without / with dashboards (${SLICES / 2} slices of ${SLICE_MS / 1000} s each)`, `${Math.round(without.rowsPerSecond).toLocaleString()} / ${Math.round(withDashboards.rowsPerSecond).toLocaleString()} rows/s, ${underLoad.frames.toLocaleString()} frames delivered`],
        ['  per slice, thousand rows/s: without | with', `${perSlice(slices.without)} | ${perSlice(slices.with)}`],
        ['server CPU, without / with', cores('serverCpu')],
        ['PostgreSQL CPU, without / with', cores('postgresCpu')],
        ['load generator and dashboards CPU, without / with', cores('benchCpu')],
        ['ratio with / without', (withDashboards.rowsPerSecond / without.rowsPerSecond).toFixed(2)],
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
