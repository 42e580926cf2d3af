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
//    the instances, on 1 instance, 2 instances (4 agents each) twice, 1 instance again, same database.
//    The single instance runs without Redis, as deployed alone; the pair with it (BUFFER_FLUSH_CONCURRENCY's default differs).
// Needs DATABASE_URL. Options: --only=sockets|latency|ingest, --instances=3, --duration=30 (seconds
// per latency or ingest phase), --heartbeat=10000 (AGENT_HEARTBEAT_MS).
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
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
  },
});
const INSTANCES = Number(opts.instances);
const AGENTS = Number(opts.agents);
/** 5,000 sockets a generator, about 7,000 proxied sockets (14,000 descriptors) a haproxy process. */
const GENERATORS = Number(opts.generators ?? Math.ceil(AGENTS / 5_000));
const BALANCERS = Number(opts.balancers ?? Math.ceil(AGENTS / 7_000));
const PHASE_MS = Number(opts.duration) * 1000;
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
  const stopFleet = streamFleet(fleet);
  cleanups.push(async () => stopFleet());
  await sleep(3000);
  const pids = servers.map((s) => s.child.pid);
  const before = usage(pids);
  const redis0 = cpuSecondsOf('redis-server');
  const machine0 = machineBusySeconds();
  const generator0 = process.cpuUsage();
  // prom-client resets its event-loop delay histogram at every scrape: this one starts the phase's.
  const gc0 = await Promise.all(servers.map((s) => metricSum(s.base, 'nodejs_gc_duration_seconds_sum')));
  dashboards.record(true);
  await sleep(PHASE_MS);
  dashboards.record(false);
  const after = usage(pids);
  const redisCpu = cores(redis0, cpuSecondsOf('redis-server'), PHASE_MS / 1000);
  const machineCpu = cores(machine0, machineBusySeconds(), PHASE_MS / 1000);
  const generator = process.cpuUsage(generator0);
  const lagMs = await Promise.all(servers.map(async (s) => Math.round(1000 * (await metricSum(s.base, 'nodejs_eventloop_lag_max_seconds')))));
  const gcMs = await Promise.all(servers.map(async (s, i) => Math.round(1000 * ((await metricSum(s.base, 'nodejs_gc_duration_seconds_sum')) - gc0[i]))));
  const report = await dashboards.report();
  stopFleet();
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
  results.push(['samples over 100 ms: how many, in how many of the phase\'s seconds', `${late.length.toLocaleString()}, ${new Set(late).size} of ${PHASE_MS / 1000}`, '']);
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

/** SATURATING agents spread evenly over `targets`, each keeping WINDOW 1,000-row frames in flight. */
async function saturate(servers, targets) {
  const hosts = await enrollHosts(servers[0].base, SATURATING);
  let acked = 0;
  let errors = 0;
  let measuring = false;
  let running = true;
  const agents = await Promise.all(
    hosts.map(async (host, i) => {
      const agent = { containers: dockerIds(CONTAINERS), ts: Date.now() - 3_600_000, seq: 0 };
      agent.send = () => {
        agent.socket.send(metricsFrame(++agent.seq, agent.containers, agent.ts, SAMPLES), { binary: false });
        agent.ts += SAMPLES;
      };
      agent.socket = await connectAgent(targets[i % targets.length].base, host.agentToken, (frame) => {
        if (frame.type !== 'ack') errors++;
        else if (measuring) acked += CONTAINERS * SAMPLES;
        if (running) agent.send();
      });
      return agent;
    }),
  );
  for (const agent of agents) for (let i = 0; i < WINDOW; i++) agent.send();
  await sleep(3000);
  const pids = servers.map((s) => s.child.pid);
  const flushes = () => Promise.all(servers.flatMap((s) => [metricSum(s.base, 'dockpulse_buffer_flush_seconds_count'), metricSum(s.base, 'dockpulse_buffer_flushed_rows_total')]));
  const flushes0 = await flushes();
  const before = { servers: usage(pids), postgres: cpuSecondsOf('postgres'), generator: process.cpuUsage(), machine: machineBusySeconds() };
  measuring = true;
  const started = performance.now();
  await sleep(PHASE_MS);
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  const after = { servers: usage(pids), postgres: cpuSecondsOf('postgres'), generator: process.cpuUsage(before.generator), machine: machineBusySeconds() };
  const flushed = (await flushes()).map((n, i) => n - flushes0[i]);
  const [flushCount, flushedRows] = [0, 1].map((k) => flushed.filter((_, i) => i % 2 === k).reduce((a, b) => a + b, 0));
  running = false;
  await sleep(3000);
  for (const agent of agents) agent.socket.close();
  return {
    rowsPerSecond: acked / seconds,
    errors,
    serverCpu: servers.map((_, i) => cores(before.servers[i].cpuSeconds, after.servers[i].cpuSeconds, seconds)),
    postgresCores: (after.postgres - before.postgres) / seconds,
    generatorCpu: ((after.generator.user + after.generator.system) / 1e6 / seconds).toFixed(2),
    machineCpu: cores(before.machine, after.machine, seconds),
    flushesPerSecond: flushCount / seconds,
    rowsPerFlush: flushedRows / flushCount,
  };
}

async function ingestPart(results) {
  // The pair runs as deployed with REDIS_URL (one bulk write in flight per kind and instance); the
  // single instance as deployed alone, without Redis (two in flight), on the same database.
  const { db, servers } = await startCluster(2, 0, { BUFFER_LIMIT_ROWS: '200000' });
  const alone = await startServer({ DATABASE_URL: db.url, NOTIFY_SECRET_KEY, AGENT_RATE_LIMIT: '0', BUFFER_LIMIT_ROWS: '200000' }, { port: await freePort() });
  cleanups.push(() => alone.stop());
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  cleanups.push(() => admin.end());
  // 1, 2, 2, 1: the tables grow and PostgreSQL checkpoints as the run goes on, and this order lets
  // a steady drift weigh on both sides alike.
  const phases = [
    ['1 instance, no Redis', [alone]],
    ['2 instances on Redis (4 agents each)', servers],
    ['2 instances again', servers],
    ['1 instance again', [alone]],
  ];
  const measured = [];
  for (const [label, targets] of phases) {
    // Every phase starts with the previous one's rollups done and its writes checkpointed and vacuumed, not under them.
    for (const server of [alone, ...servers]) await settle(server, db.url);
    log(`ingest: ${label}, ${SATURATING} agents × window ${WINDOW} × 1,000 rows, connected directly, ${PHASE_MS / 1000} s`);
    const m = await saturate(targets, targets);
    log(`  ${Math.round(m.rowsPerSecond).toLocaleString()} rows/s`);
    measured.push([label, m]);
  }
  results.push(['== ingest (agents connected directly to the instances) ==', '', '']);
  for (const [label, m] of measured) {
    results.push([`${label}: acked rows/s`, Math.round(m.rowsPerSecond).toLocaleString(), '']);
    results.push([`  CPU (cores): instances / PostgreSQL / load generator / whole machine`, `${m.serverCpu.join(' + ')} / ${m.postgresCores.toFixed(2)} / ${m.generatorCpu} / ${m.machineCpu}`, '']);
    results.push(['  PostgreSQL CPU per 1,000 rows acked (ms)', ((1e6 * m.postgresCores) / m.rowsPerSecond).toFixed(1), '']);
    results.push(['  bulk writes to PostgreSQL: a second, rows each (all instances)', `${m.flushesPerSecond.toFixed(1)}, ${Math.round(m.rowsPerFlush).toLocaleString()}`, '']);
    results.push(['  error answers', m.errors, '0']);
  }
  const one = (measured[0][1].rowsPerSecond + measured[3][1].rowsPerSecond) / 2;
  const two = (measured[1][1].rowsPerSecond + measured[2][1].rowsPerSecond) / 2;
  results.push(['ratio mean of 2 instances / mean of 1 instance', (two / one).toFixed(2), '≥ 1.0']);
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
