// Several instances for the benchmarks: real haproxy running deploy/haproxy/haproxy.cfg in front of
// them, and the Redis keys a run leaves behind.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, processUsage } from './lib.mjs';

export const HAPROXY = '/usr/sbin/haproxy';
const CONFIG = 'deploy/haproxy/haproxy.cfg';

/**
 * deploy/haproxy/haproxy.cfg for `count` instances: a `server` line per further instance in every
 * backend, as its header says (the same as configForInstances in test/support/haproxy-process.ts).
 */
function configFor(count, dir) {
  const out = [];
  for (const line of readFileSync(CONFIG, 'utf8').split('\n')) {
    out.push(line);
    if (!/^\s*server dockpulse-2 /.test(line)) continue;
    for (let i = 3; i <= count; i++) out.push(line.replaceAll('dockpulse-2', `dockpulse-${i}`).replaceAll('DOCKPULSE_2', `DOCKPULSE_${i}`));
  }
  const path = join(dir, 'haproxy.cfg');
  writeFileSync(path, out.join('\n'));
  return path;
}

/** Open file descriptors of a process: for haproxy about two per proxied socket. */
export const openFds = (pid) => readdirSync(`/proc/${pid}/fd`).length;

/**
 * `processes` haproxy processes on one bind address (127.0.0.1, a free port) in front of `instances`
 * (http://host:port). HAProxy sets SO_REUSEPORT on its listeners, so each process binds the same
 * address and the kernel spreads new connections over them: one process holds two descriptors per
 * proxied socket, and a process may hold no more than `ulimit -Hn`. Resolves once every instance
 * answered through the balancer.
 */
export async function startHaproxy(instances, { processes = 1 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dockpulse-bench-haproxy-'));
  const config = configFor(instances.length, dir);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    DOCKPULSE_LB_BIND: `127.0.0.1:${port}`,
    ...Object.fromEntries(instances.map((url, i) => [`DOCKPULSE_${i + 1}`, new URL(url).host])),
  };
  const check = spawnSync(HAPROXY, ['-c', '-f', config], { env, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c refused ${config}:\n${check.stdout}${check.stderr}`);
  const children = Array.from({ length: processes }, () => {
    // Its request log goes to stdout, which is not kept; warnings and alerts go to stderr.
    const child = spawn(HAPROXY, ['-db', '-f', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.errors = '';
    child.stderr.on('data', (chunk) => (child.errors += chunk));
    return child;
  });
  const lb = {
    base: `http://127.0.0.1:${port}`,
    pids: children.map((child) => child.pid),
    rss: () => children.reduce((sum, child) => sum + processUsage(child.pid).rss, 0),
    cpuSeconds: () => children.reduce((sum, child) => sum + processUsage(child.pid).cpuSeconds, 0),
    stop: async () => {
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const seen = new Set();
  const deadline = Date.now() + 15_000;
  while (seen.size < instances.length) {
    const exited = children.find((child) => child.exitCode !== null);
    if (exited || Date.now() > deadline) {
      await lb.stop();
      throw new Error(`haproxy ${exited ? 'exited' : `saw ${seen.size} of ${instances.length} instances within 15 s`}:\n${children.map((c) => c.errors).join('\n')}`);
    }
    const res = await fetch(`${lb.base}/api/ready`).catch(() => undefined);
    if (res?.ok) seen.add(res.headers.get('x-dockpulse-instance'));
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A process that could not bind would have exited: all of them listen on the one address.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const exited = children.find((child) => child.exitCode !== null);
  if (exited) {
    await lb.stop();
    throw new Error(`a haproxy process exited:\n${exited.errors}`);
  }
  return lb;
}

/** Deletes every key starting with `prefix` (a run's own REDIS_KEY_PREFIX); answers how many. */
export async function dropRedisKeys(url, prefix) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let dropped = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) dropped += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return dropped;
}
