// npm run bench:cluster: several instances (issue 14) of the built server on one fresh PostgreSQL
// database and one Redis (REDIS_URL, default the local one, under a key prefix of this run's own),
// behind real haproxy running deploy/haproxy/haproxy.cfg. Three parts, each on a fresh database:
//  - sockets: --agents (20,000) agent sockets with heartbeats through HAProxy, held --hold seconds.
//    One process may hold no more than `ulimit -Hn` descriptors (20,000 here), so the agents come
//    from --generators child processes (bench/cluster-agents.mjs) and pass through --balancers haproxy
//    processes sharing one address (SO_REUSEPORT: the kernel spreads connections over them).
//  - latency: --hosts (1,000) agents through HAProxy, one metrics frame a second each, and
//    --dashboards (100) connected directly to one instance each, watching only hosts whose agents
//    HAProxy placed on another instance: every sample timed crossed instances through Redis.
//  - ingest: 8 agents × window 8 × 1,000-row frames as fast as acks allow, connected directly to
//    1 instance, or to 2 instances (4 agents each), on the same database, in alternating slices of
//    one continuous run (1, 2, 2, 1, …) after a warm-up. The single instance runs without Redis, as
//    deployed alone; the pair with it (BUFFER_FLUSH_CONCURRENCY's default differs).
// Needs DATABASE_URL. Options: --only=sockets|latency|ingest, --instances=3, --duration=30 (seconds
// of the latency phase), --slices=16 --slice=10 (ingest slices and seconds measured in each),
// --heartbeat=10000 (AGENT_HEARTBEAT_MS).
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { dropRedisKeys, openFds, startHaproxy } from './balancer.mjs';
import { connectFleet, dashboardsWorker, registerContainers, streamFleet } from './fleet.mjs';
import {
  connectAgent, cpuSecondsOf, dockerIds, enrollHosts, freePort, freshDatabase, gauge, insertAgents, log, machineBusySeconds, metricSum, metricsFrame, percentile, processUsage, settle, startServer, table,
} from './lib.mjs';

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    instances: { type: 'string', default: '3' },
    agents: { type: 'string', default: '20000' },
    hold: { type: 'string', default: '30' },
    heartbeat: { type: 'string', default: '10000' },
    generators: { type: 'string' },
    balancers: { type: 'string' },
    hosts: { type: 'string', default: '1000' },
    dashboards: { type: 'string', default: '100' },
    duration: { type: 'string', default: '30' },
    slices: { type: 'string', default: '16' },
    slice: { type: 'string', default: '10' },
  },
});
const INSTANCES = Number(opts.instances);
const AGENTS = Number(opts.agents);
/** 5,000 sockets a generator, about 7,000 proxied sockets (14,000 descriptors) a haproxy process. */
const GENERATORS = Number(opts.generators ?? Math.ceil(AGENTS / 5_000));
const BALANCERS = Number(opts.balancers ?? Math.ceil(AGENTS / 7_000));
const PHASE_MS = Number(opts.duration) * 1000;
/** The latency phase starts this long after the fleet: every agent has sent its first frames. */
const FLEET_START_MS = 3_000;
const SLICES = Math.max(4, Math.round(Number(opts.slices) / 4) * 4);
const SLICE_MS = Number(opts.slice) * 1000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_KEY_PREFIX = `dockpulse-bench-cluster-${process.pid}-${Date.now()}:`;
/** Several instances share one (docs/several-instances.md); unset, each would generate its own. */
const NOTIFY_SECRET_KEY = 'benchmark-notify-secret-key-shared-by-the-instances';
const MiB = (bytes) => Math.round(bytes / 2 ** 20);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!process.env.DATABASE_URL) {
  console.error('npm run bench:cluster needs DATABASE_URL pointing at a PostgreSQL server (a fresh database is created there).');
  process.exit(2);
}

/** What a part started, stopped in reverse order, also when the part failed. */
const cleanups = [];
async function cleanUp() {
  for (const stop of cleanups.splice(0).reverse()) await stop().catch((error) => console.error(`cleanup: ${error.message}`));
}
process.once('SIGINT', () => cleanUp().finally(() => process.exit(130)));

/** `count` instances on a fresh database and this run's Redis prefix, and `balancers` haproxy processes in front (0: none). */
/** `env`: for every instance, or a function of the instance's index. */
async function startCluster(count, balancers, env = {}) {
  const db = await freshDatabase(process.env.DATABASE_URL);
  cleanups.push(() => db.drop());
  const servers = [];
  // One at a time: the first applies the migrations to the fresh database.
  for (let i = 0; i < count; i++) {
    const server = await startServer({ DATABASE_URL: db.url, REDIS_URL, REDIS_KEY_PREFIX, NOTIFY_SECRET_KEY, AGENT_RATE_LIMIT: '0', ...(typeof env === 'function' ? env(i) : env) }, { port: await freePort() });
    cleanups.push(() => server.stop());
    servers.push(Object.assign(server, { name: `dockpulse-${i + 1}` }));
  }
  for (const server of servers) {
    while ((await gauge(server.base, 'dockpulse_redis_connected')) !== 1) await sleep(100);
  }
  let lb;
  if (balancers) {
    lb = await startHaproxy(servers.map((server) => server.base), { processes: balancers });
    cleanups.push(() => lb.stop());
  }
  return { db, servers, lb };
}

const usage = (pids) => pids.map((pid) => processUsage(pid));
const cores = (before, after, seconds) => ((after - before) / seconds).toFixed(2);

async function socketsPart(results) {
  const { db, servers, lb } = await startCluster(INSTANCES, BALANCERS, { AGENT_HEARTBEAT_MS: opts.heartbeat });
  const tokens = await insertAgents(db.url, AGENTS);
  const serverPids = servers.map((s) => s.child.pid);
  const idle = usage(serverPids);

  const generators = Array.from({ length: GENERATORS }, () => fork(new URL('./cluster-agents.mjs', import.meta.url)));
  cleanups.push(async () => generators.forEach((g) => g.connected && g.kill('SIGKILL')));
  const ask = (generator, message, key) =>
    new Promise((resolve) => {
      const onMessage = (answer) => key in answer && (generator.off('message', onMessage), resolve(answer));
      generator.on('message', onMessage);
      generator.send(message);
    });
  log(`sockets: ${AGENTS} agents from ${GENERATORS} processes through ${BALANCERS} haproxy processes on ${lb.base} to ${INSTANCES} instances`);
  const started = performance.now();
  const share = Math.ceil(AGENTS / GENERATORS);
  const progress = setInterval(async () => log(`  connected so far: ${(await Promise.all(servers.map((s) => gauge(s.base, 'dockpulse_agents_connected')))).join(' + ')}`), 5_000);
  const connected = await Promise.all(generators.map((g, i) => ask(g, { connect: { base: lb.base, tokens: tokens.slice(i * share, (i + 1) * share) } }, 'connected')));
  clearInterval(progress);
  const connectSeconds = (performance.now() - started) / 1000;
  const failed = connected.reduce((n, c) => n + c.failed, 0);
  log(`${connected.reduce((n, c) => n + c.connected, 0)} connected, ${failed} failed${failed ? ` (first: ${connected.find((c) => c.firstError).firstError})` : ''} in ${connectSeconds.toFixed(1)} s; holding ${opts.hold} s`);

  const before = usage(serverPids);
  const lbBefore = lb.cpuSeconds();
  const peak = serverPids.map((_, i) => before[i].rss);
  let peakTotal = before.reduce((sum, u) => sum + u.rss, 0);
  let peakLb = lb.rss();
  const sampler = setInterval(() => {
    const now = usage(serverPids);
    now.forEach((u, i) => (peak[i] = Math.max(peak[i], u.rss)));
    peakTotal = Math.max(peakTotal, now.reduce((sum, u) => sum + u.rss, 0));
    peakLb = Math.max(peakLb, lb.rss());
  }, 500);
  const holdSeconds = Number(opts.hold);
  await sleep(holdSeconds * 1000);
  clearInterval(sampler);
  const after = usage(serverPids);
  const lbCpu = cores(lbBefore, lb.cpuSeconds(), holdSeconds);
  const counts = await Promise.all(generators.map((g) => ask(g, { count: true }, 'open')));
  const open = counts.reduce((n, c) => n + c.open, 0);
  const byInstance = {};
  for (const c of counts) for (const [name, n] of Object.entries(c.byInstance)) byInstance[name] = (byInstance[name] ?? 0) + n;
  const onServers = await Promise.all(servers.map((s) => gauge(s.base, 'dockpulse_agents_connected')));
  const fds = lb.pids.map(openFds);
  await Promise.all(generators.map((g) => ask(g, { close: true }, 'closed')));

  const total = after.reduce((sum, u) => sum + u.rss, 0);
  results.push(['== sockets ==', '', '']);
  results.push([`agents connected / still open after ${holdSeconds} s (heartbeat ${opts.heartbeat} ms)`, `${AGENTS - failed} / ${open}`, `${AGENTS} / ${AGENTS}`]);
  results.push(['time to connect all through HAProxy (s)', connectSeconds.toFixed(1), '']);
  servers.forEach((s, i) =>
    results.push([`${s.name}: sockets (its gauge / HAProxy's header), RSS idle / peak, CPU holding`, `${onServers[i]} / ${byInstance[s.name] ?? 0}, ${MiB(idle[i].rss)} / ${MiB(peak[i])} MiB, ${cores(before[i].cpuSeconds, after[i].cpuSeconds, holdSeconds)} cores`, '']),
  );
  results.push([`server RSS, all ${INSTANCES} instances: peak / end of hold (MiB)`, `${MiB(peakTotal)} / ${MiB(total)}`, '≤ 1536']);
  results.push([`HAProxy, ${BALANCERS} processes on one address: open fds each`, fds.join(' / '), 'spread by SO_REUSEPORT']);
  results.push(['HAProxy RSS peak (all processes, MiB) / CPU holding (cores)', `${MiB(peakLb)} / ${lbCpu}`, '']);
  results.push(['server CPU holding, all instances (cores)', cores(before.reduce((s, u) => s + u.cpuSeconds, 0), after.reduce((s, u) => s + u.cpuSeconds, 0), holdSeconds), '']);
}

async function latencyPart(results) {
  const { servers, lb } = await startCluster(INSTANCES, 1);
  const dashboards = dashboardsWorker();
  cleanups.push(() => dashboards.stop());
  const HOSTS = Number(opts.hosts);
  log(`latency: enrolling ${HOSTS} hosts (5 containers each) through HAProxy`);
  const hosts = await enrollHosts(lb.base, HOSTS);
  await registerContainers(lb.base, hosts, hosts.accessToken, 5, 0);
  const fleet = await connectFleet(lb.base, hosts, 0);
  const agentsOn = Object.fromEntries(servers.map((s) => [s.name, fleet.filter((a) => a.socket.instance === s.name).length]));
  if (Object.values(agentsOn).reduce((a, b) => a + b, 0) !== fleet.length) throw new Error(`agents without a known instance: ${JSON.stringify(agentsOn)}`);
  const instanceOfContainer = new Map(fleet.flatMap((a) => a.host.containers.map((c) => [c.id, a.socket.instance])));
  // Dashboard d on instance d mod N watches a host and 10 containers whose agents are elsewhere.
  const bases = [];
  const topicSets = Array.from({ length: Number(opts.dashboards) }, (_, d) => {
    const home = servers[d % servers.length];
    bases.push(home.base);
    const foreign = fleet.filter((a) => a.socket.instance !== home.name);
    return [`host:${foreign[d % foreign.length].host.hostId}`, ...Array.from({ length: 10 }, (_, k) => `container:${foreign[(d * 7 + k * 13) % foreign.length].host.containers[k % 5].id}:metrics`)];
  });
  const pairs = topicSets.flatMap((topics, d) => topics.filter((t) => t.startsWith('container:')).map((t) => instanceOfContainer.get(t.split(':')[1]) !== servers[d % servers.length].name));
  const crossing = pairs.filter(Boolean).length;
  log(`agents per instance ${JSON.stringify(agentsOn)}; ${await dashboards.open({ base: lb.base, bases, token: hosts.accessToken, topicSets, untimed: [] })} dashboards open`);
  let errors = 0;
  for (const agent of fleet) agent.onAnswer = (frame) => frame.type !== 'ack' && errors++;
  // Timed from the first frame: the fleet's first seconds are what agents reconnecting to an
  // instance that has not seen their hosts wait (reported apart from the phase).
  dashboards.record(true);
  const stopFleet = streamFleet(fleet);
  cleanups.push(async () => stopFleet());
  await sleep(FLEET_START_MS);
  const pids = servers.map((s) => s.child.pid);
  const before = usage(pids);
  const redis0 = cpuSecondsOf('redis-server');
  const machine0 = machineBusySeconds();
  const generator0 = process.cpuUsage();
  // prom-client resets its event-loop delay histogram at every scrape: this one starts the phase's.
  const gc0 = await Promise.all(servers.map((s) => metricSum(s.base, 'nodejs_gc_duration_seconds_sum')));
  const phaseStart = Date.now();
  await sleep(PHASE_MS);
  dashboards.record(false);
  const after = usage(pids);
  const redisCpu = cores(redis0, cpuSecondsOf('redis-server'), PHASE_MS / 1000);
  const machineCpu = cores(machine0, machineBusySeconds(), PHASE_MS / 1000);
  const generator = process.cpuUsage(generator0);
  const lagMs = await Promise.all(servers.map(async (s) => Math.round(1000 * (await metricSum(s.base, 'nodejs_eventloop_lag_max_seconds')))));
  const gcMs = await Promise.all(servers.map(async (s, i) => Math.round(1000 * ((await metricSum(s.base, 'nodejs_gc_duration_seconds_sum')) - gc0[i]))));
  const all = await dashboards.report();
  stopFleet();
  const inPhase = all.at.map((at) => at >= phaseStart);
  const report = { latencies: all.latencies.filter((_, i) => inPhase[i]), at: all.at.filter((_, i) => inPhase[i]), slow: all.slow.filter((s) => s.at >= phaseStart) };
  const starting = all.latencies.filter((_, i) => !inPhase[i]).sort((a, b) => a - b);
  // Whether the slow samples came in one stall or all along: the seconds of the phase they arrived in.
  const late = report.latencies.flatMap((ms, i) => (ms > 100 ? [Math.floor(report.at[i] / 1000)] : []));
  const sorted = report.latencies.sort((a, b) => a - b);
  results.push(['== latency ==', '', '']);
  results.push(['agents per instance (HAProxy leastconn) / dashboards per instance (direct)', `${Object.values(agentsOn).join(' / ')} agents, ${servers.map((_, i) => bases.filter((b) => b === servers[i].base).length).join(' / ')} dashboards`, '']);
  results.push(['dashboard → container pairs whose agent is on another instance', `${crossing} of ${pairs.length}`, 'all']);
  results.push([
    `agent frame → dashboard frame across instances, ${HOSTS} hosts streaming: p50 / p99 / max`,
    `${percentile(sorted, 50)} / ${percentile(sorted, 99)} / ${sorted.at(-1)} ms (${sorted.length.toLocaleString()} samples)`,
    'p99 ≤ 100 ms',
  ]);
  results.push([
    `the same in the fleet's first ${FLEET_START_MS / 1000} s (each agent's first frames on an instance new to its host), not in the phase`,
    `${percentile(starting, 50)} / ${percentile(starting, 99)} / ${starting.at(-1)} ms (${starting.length.toLocaleString()} samples)`,
    '',
  ]);
  results.push(['samples over 100 ms: how many, in how many of the phase\'s seconds', `${late.length.toLocaleString()}, ${new Set(late).size} of ${PHASE_MS / 1000}`, '']);
  // Where the slowest waited: a stall on the agent's instance delays its samples to every dashboard instance alike.
  const nameOf = new Map(servers.map((s) => [s.base, s.name]));
  const routes = new Map();
  for (const { dashboard, topic } of report.slow) {
    const route = `${instanceOfContainer.get(topic.split(':')[1])} → ${nameOf.get(bases[dashboard])}`;
    routes.set(route, (routes.get(route) ?? 0) + 1);
  }
  results.push(['samples over 300 ms by agent\'s instance → dashboard\'s instance', [...routes].map(([route, n]) => `${route}: ${n}`).join(', ') || 'none', '']);
  results.push(['instances: longest event-loop delay / time in GC during the phase', `${lagMs.join(' / ')} ms / ${gcMs.join(' / ')} ms`, '']);
  results.push(['fleet frames answered with an error', errors, '0']);
  results.push([
    'CPU (cores): instances / redis-server / load generator and dashboards / whole machine',
    `${servers.map((_, i) => cores(before[i].cpuSeconds, after[i].cpuSeconds, PHASE_MS / 1000)).join(' + ')} / ${redisCpu} / ${((generator.user + generator.system) / 1e6 / (PHASE_MS / 1000)).toFixed(2)} / ${machineCpu}`,
    '',
  ]);
  await Promise.all(fleet.map((agent) => agent.socket.close()));
}

const CONTAINERS = 25;
const SAMPLES = 40; // 25 × 40 = 1,000 rows a frame
const SATURATING = 8;
const WINDOW = 8;

const SPACING_MS = 10; // a container's samples 10 ms apart: at saturation its minute fills in about 15 s and is recomputed about once (bench/live.mjs)
const WARM_UP_PER_ARM_MS = 15_000;
const LEAD_IN_MS = 2000;

/**
 * SATURATING agents spread evenly over `targets`. While running, each keeps WINDOW 1,000-row frames
 * in flight; paused, it sends nothing more once its frames in flight are answered.
 */
async function saturatingGroup(targets) {
  const hosts = await enrollHosts(targets[0].base, SATURATING);
  const group = { acked: 0, errors: 0, running: false, inFlight: 0 };
  const agents = await Promise.all(
    hosts.map(async (host, i) => {
      const agent = { containers: dockerIds(CONTAINERS), ts: Date.now() - 3_600_000, seq: 0 };
      agent.send = () => {
        group.inFlight++;
        agent.socket.send(metricsFrame(++agent.seq, agent.containers, agent.ts, SAMPLES, SPACING_MS), { binary: false });
        agent.ts += SAMPLES * SPACING_MS;
      };
      agent.socket = await connectAgent(targets[i % targets.length].base, host.agentToken, (frame) => {
        group.inFlight--;
        if (frame.type !== 'ack') group.errors++;
        else group.acked += CONTAINERS * SAMPLES;
        if (group.running) agent.send();
      });
      return agent;
    }),
  );
  return Object.assign(group, {
    start() {
      group.running = true;
      for (const agent of agents) for (let i = 0; i < WINDOW; i++) agent.send();
    },
    async pause() {
      group.running = false;
      while (group.inFlight > 0) await sleep(20);
    },
    close: () => agents.forEach((agent) => agent.socket.close()),
  });
}

/** Rows acked by `group` and CPU used over the next `ms`, with every instance's bulk writes. */
async function measureSlice(group, servers, ms) {
  const pids = servers.map((s) => s.child.pid);
  const flushes = () => Promise.all(servers.flatMap((s) => [metricSum(s.base, 'dockpulse_buffer_flush_seconds_count'), metricSum(s.base, 'dockpulse_buffer_flushed_rows_total')]));
  const flushes0 = await flushes();
  const snapshot = () => ({ acked: group.acked, servers: usage(pids), postgres: cpuSecondsOf('postgres'), generator: process.cpuUsage(), machine: machineBusySeconds(), at: performance.now() });
  const before = snapshot();
  await sleep(ms);
  const after = snapshot();
  const flushed = (await flushes()).map((n, i) => n - flushes0[i]);
  return {
    seconds: (after.at - before.at) / 1000,
    rows: after.acked - before.acked,
    serverCpu: servers.map((_, i) => after.servers[i].cpuSeconds - before.servers[i].cpuSeconds),
    postgresCpu: after.postgres - before.postgres,
    generatorCpu: (after.generator.user + after.generator.system - before.generator.user - before.generator.system) / 1e6,
    machineCpu: after.machine - before.machine,
    flushes: flushed.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0),
    flushedRows: flushed.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b, 0),
  };
}

/** Slices of one arm summed: rows/s, cores over their time (each instance's, PostgreSQL's, …), bulk writes. */
function summedSlices(slices) {
  const seconds = slices.reduce((n, s) => n + s.seconds, 0);
  const sum = (key) => slices.reduce((n, s) => n + s[key], 0);
  return {
    rowsPerSecond: sum('rows') / seconds,
    serverCores: slices[0].serverCpu.map((_, i) => slices.reduce((n, s) => n + s.serverCpu[i], 0) / seconds),
    postgresCores: sum('postgresCpu') / seconds,
    generatorCores: sum('generatorCpu') / seconds,
    machineCores: sum('machineCpu') / seconds,
    flushesPerSecond: sum('flushes') / seconds,
    rowsPerFlush: sum('flushedRows') / sum('flushes'),
  };
}

async function ingestPart(results) {
  // The pair runs as deployed with REDIS_URL (one bulk write in flight per kind and instance); the
  // single instance as deployed alone, without Redis (two in flight), on the same database.
  const { db, servers } = await startCluster(2, 0, { BUFFER_LIMIT_ROWS: '200000' });
  const alone = await startServer({ DATABASE_URL: db.url, NOTIFY_SECRET_KEY, AGENT_RATE_LIMIT: '0', BUFFER_LIMIT_ROWS: '200000' }, { port: await freePort() });
  cleanups.push(() => alone.stop());
  const all = [alone, ...servers];
  // Two groups of agents, one on the single instance and one spread over the pair, take turns in
  // slices of one continuous saturated run (1, 2, 2, 1, …): separate 30 s phases swung by up to
  // 40 % with the rollup worker's passes, checkpoints and autovacuum; in alternating slices these
  // fall on both sides alike.
  const arms = { one: await saturatingGroup([alone]), two: await saturatingGroup(servers) };
  cleanups.push(async () => Object.values(arms).forEach((group) => group.close()));
  for (const server of all) await settle(server, db.url);
  log(`ingest: ${SATURATING} agents × window ${WINDOW} × 1,000 rows, connected directly; warm-up ${WARM_UP_PER_ARM_MS / 1000} s on each arm`);
  for (const group of [arms.one, arms.two]) {
    group.start();
    await sleep(WARM_UP_PER_ARM_MS);
    await group.pause();
  }
  const slices = { one: [], two: [] };
  for (let i = 0; i < SLICES; i++) {
    const arm = [1, 2].includes(i % 4) ? 'two' : 'one';
    arms[arm].start();
    await sleep(LEAD_IN_MS);
    const slice = await measureSlice(arms[arm], all, SLICE_MS);
    await arms[arm].pause();
    slices[arm].push(slice);
    log(`  slice ${i + 1}/${SLICES}, ${arm === 'one' ? '1 instance' : '2 instances'}: ${Math.round(slice.rows / slice.seconds).toLocaleString()} rows/s`);
  }
  const labels = { one: '1 instance, no Redis (8 agents)', two: '2 instances on Redis (4 agents each)' };
  results.push([`== ingest (agents connected directly to the instances; ${SLICES / 2} slices of ${SLICE_MS / 1000} s per arm, alternating) ==`, '', '']);
  const summed = {};
  for (const arm of ['one', 'two']) {
    const m = (summed[arm] = summedSlices(slices[arm]));
    const instances = arm === 'one' ? [m.serverCores[0]] : m.serverCores.slice(1);
    results.push([`${labels[arm]}: acked rows/s`, Math.round(m.rowsPerSecond).toLocaleString(), '']);
    results.push(['  per slice, thousand rows/s', slices[arm].map((s) => Math.round(s.rows / s.seconds / 1000)).join(', '), '']);
    results.push(['  CPU (cores): instances / PostgreSQL / load generator / whole machine', `${instances.map((c) => c.toFixed(2)).join(' + ')} / ${m.postgresCores.toFixed(2)} / ${m.generatorCores.toFixed(2)} / ${m.machineCores.toFixed(2)}`, '']);
    results.push(['  CPU per 1,000 rows acked (ms): instances / PostgreSQL', `${((1e3 * instances.reduce((a, b) => a + b, 0)) / (m.rowsPerSecond / 1000)).toFixed(1)} / ${((1e3 * m.postgresCores) / (m.rowsPerSecond / 1000)).toFixed(1)}`, '']);
    results.push(['  bulk writes to PostgreSQL: a second, rows each (all instances)', `${m.flushesPerSecond.toFixed(1)}, ${Math.round(m.rowsPerFlush).toLocaleString()}`, '']);
    results.push(['  error answers', arms[arm].errors, '0']);
  }
  results.push(['ratio 2 instances / 1 instance', (summed.two.rowsPerSecond / summed.one.rowsPerSecond).toFixed(2), '≥ 1.0']);
}

const parts = { sockets: socketsPart, latency: latencyPart, ingest: ingestPart };
const results = [['measure', 'figure', 'goal']];
try {
  for (const [name, part] of Object.entries(parts)) {
    if (opts.only && opts.only !== name) continue;
    try {
      await part(results);
    } finally {
      await cleanUp();
    }
  }
} finally {
  log(`dropped ${await dropRedisKeys(REDIS_URL, REDIS_KEY_PREFIX)} Redis keys under ${REDIS_KEY_PREFIX}`);
}
console.log(`\nDockPulse several-instances benchmark (${new Date().toISOString()}, ${(await import('node:os')).cpus().length} cores, Node ${process.version}, ${INSTANCES} instances for sockets and latency, 1 and 2 for ingest)\n`);
console.log(table(results));
