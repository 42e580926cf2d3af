// npm run bench:connections: N concurrent agent sockets (default 10,000) with heartbeats on one
// instance; reports the server's RSS and CPU while they are held. Needs DATABASE_URL. Hosts are
// inserted directly and their agent tokens signed with the benchmark's JWT_SECRET, so setting up
// 10,000 agents takes seconds instead of 20,000 REST calls.
import { parseArgs } from 'node:util';
import { connectAgent, freshDatabase, insertAgents, log, metricSum, processUsage, startServer, table } from './lib.mjs';

const { values: opts } = parseArgs({ options: { agents: { type: 'string', default: '10000' }, hold: { type: 'string', default: '30' }, heartbeat: { type: 'string', default: '10000' } } });
const AGENTS = Number(opts.agents);
const HOLD_MS = Number(opts.hold) * 1000;
if (!process.env.DATABASE_URL) {
  console.error('npm run bench:connections needs DATABASE_URL pointing at a PostgreSQL server.');
  process.exit(2);
}

const db = await freshDatabase(process.env.DATABASE_URL);
const server = await startServer({ DATABASE_URL: db.url, AGENT_HEARTBEAT_MS: opts.heartbeat });
const sockets = [];
try {
  const tokens = await insertAgents(db.url, AGENTS);
  const idle = processUsage(server.child.pid);
  log(`server idle: RSS ${Math.round(idle.rss / 2 ** 20)} MiB; connecting ${AGENTS} agents`);
  const started = performance.now();
  for (let i = 0; i < tokens.length; i += 200) {
    sockets.push(...(await Promise.all(tokens.slice(i, i + 200).map((token) => connectAgent(server.base, token)))));
    if ((i / 200) % 10 === 9) log(`  ${sockets.length} connected, server RSS ${Math.round(processUsage(server.child.pid).rss / 2 ** 20)} MiB`);
  }
  const connectSeconds = (performance.now() - started) / 1000;
  log(`${sockets.length} agents connected in ${connectSeconds.toFixed(1)} s; holding ${HOLD_MS / 1000} s with heartbeats every ${opts.heartbeat} ms`);
  // prom-client restarts its event-loop delay histogram at every scrape: this one starts the hold's.
  await metricSum(server.base, 'nodejs_eventloop_lag_max_seconds');
  const before = processUsage(server.child.pid);
  let peakRss = before.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, processUsage(server.child.pid).rss)), 500);
  await new Promise((r) => setTimeout(r, HOLD_MS));
  clearInterval(sampler);
  const after = processUsage(server.child.pid);
  const longestDelayMs = Math.round(1000 * (await metricSum(server.base, 'nodejs_eventloop_lag_max_seconds')));
  const open = sockets.filter((s) => s.readyState === 1).length;
  console.log(`\nDockPulse connections benchmark (${new Date().toISOString()})\n`);
  console.log(
    table([
      ['measure', 'figure', 'goal'],
      ['agents connected / still open after hold', `${sockets.length} / ${open}`, `${AGENTS} / ${AGENTS}`],
      ['time to connect all (s)', connectSeconds.toFixed(1), ''],
      ['server RSS idle (MiB)', Math.round(idle.rss / 2 ** 20), ''],
      ['server RSS with all agents, peak (MiB)', Math.round(peakRss / 2 ** 20), '< 1024'],
      ['server RSS at the end of the hold (MiB)', Math.round(after.rss / 2 ** 20), '< 1024'],
      ['server CPU while holding (cores)', ((after.cpuSeconds - before.cpuSeconds) / (HOLD_MS / 1000)).toFixed(3), ''],
      ['server\'s longest event-loop delay while holding (ms): heartbeat rounds', longestDelayMs, ''],
    ]),
  );
} finally {
  for (const socket of sockets) socket.terminate();
  await server.stop();
  await db.drop();
}
