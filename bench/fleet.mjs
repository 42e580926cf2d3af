// The streaming fleet and the dashboards of bench/live.mjs, shared with bench/cluster.mjs: hosts
// with a few containers each, sending one metrics frame a second stamped with the send time, and
// dashboards (a worker thread, bench/live-dashboards.mjs) timing each sample's arrival.
import { Worker } from 'node:worker_threads';
import { connectAgent } from './lib.mjs';

export const dockerId = (h, i) => `${h.toString(16).padStart(6, '0')}${i.toString(16).padStart(4, '0')}`.padEnd(64, 'c');
export const sample = (id, ts, n) =>
  `{"containerId":"${id}","ts":${ts},"cpuPercent":${n % 100},"memoryUsed":${1e8 + n},"memoryLimit":2000000000,"networkRx":${n * 10},"networkTx":${n * 5},"blockRead":${n},"blockWrite":${n * 2},"pids":5}`;

async function api(base, token, path, body) {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Posts each host's inventory; `host.containers` becomes [{dockerId, id}] in inventory order. */
export async function registerContainers(base, hosts, accessToken, perHost, offset) {
  for (let i = 0; i < hosts.length; i += 50) {
    await Promise.all(
      hosts.slice(i, i + 50).map(async (host, j) => {
        const ids = Array.from({ length: perHost }, (_, c) => dockerId(offset + i + j, c));
        await api(base, host.agentToken, '/api/agent/containers', ids.map((dockerId, c) => ({ dockerId, name: `c-${offset + i + j}-${c}`, image: 'app:1', state: 'running' })));
        const byDockerId = new Map((await api(base, accessToken, `/api/hosts/${host.hostId}/containers`)).map((c) => [c.dockerId, c.id]));
        host.containers = ids.map((id) => ({ dockerId: id, id: byDockerId.get(id) }));
      }),
    );
  }
}

/** Opens one agent socket per host, 100 at a time; `agent.socket.instance` says which instance a balancer chose. */
export async function connectFleet(base, hosts, satTs) {
  const agents = [];
  for (let i = 0; i < hosts.length; i += 100) {
    const batch = hosts.slice(i, i + 100).map(async (host) => {
      const agent = { host, seq: 0, n: 0, lastTs: 0, satTs };
      agent.socket = await connectAgent(base, host.agentToken, (frame) => agent.onAnswer?.(frame));
      return agent;
    });
    agents.push(...(await Promise.all(batch)));
  }
  return agents;
}

/** The fleet: every host sends one frame a second, spread evenly, samples stamped with the send time. */
export function streamFleet(agents) {
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

/** bench/live-dashboards.mjs in a worker thread, asked and answered by messages. */
export function dashboardsWorker() {
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
