import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './private-cluster.js';
import { scratchDir } from './server-process.js';

export const HAPROXY_CONFIG = 'deploy/haproxy/haproxy.cfg';

/** The haproxy binary, or why there is none (which fails the run under DOCKPULSE_TEST_ENGINES=required, as in CI). */
export function findHaproxy(): { path?: string; missing?: string } {
  const path = ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'].find(existsSync);
  if (path) return { path };
  const missing = 'haproxy is not installed (apt-get install haproxy; .ci/run installs it)';
  if (process.env.DOCKPULSE_TEST_ENGINES === 'required') throw new Error(`DOCKPULSE_TEST_ENGINES=required but ${missing}`);
  return { missing };
}

/**
 * HAPROXY_CONFIG for `count` instances: its template names two, and says to add a `server` line per
 * further instance, which is done here for every backend (DOCKPULSE_3 tracking dockpulse_api/dockpulse-3, …).
 */
export function configForInstances(count: number): string {
  if (count <= 2) return HAPROXY_CONFIG;
  const lines = readFileSync(HAPROXY_CONFIG, 'utf8').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    if (!/^\s*server dockpulse-2 /.test(line)) continue;
    for (let i = 3; i <= count; i++) out.push(line.replaceAll('dockpulse-2', `dockpulse-${i}`).replaceAll('DOCKPULSE_2', `DOCKPULSE_${i}`));
  }
  const path = join(scratchDir('haproxy-'), 'haproxy.cfg');
  writeFileSync(path, out.join('\n'));
  return path;
}

/** Real haproxy in the foreground on 127.0.0.1, running deploy/haproxy/haproxy.cfg with the instances' addresses. */
export class HaproxyProcess {
  private output = '';
  readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** `instances` are http://host:port (more than two: configForInstances); resolves once a request through the balancer is answered. */
  static async start(binary: string, instances: string[]): Promise<HaproxyProcess> {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      DOCKPULSE_LB_BIND: `127.0.0.1:${port}`,
      ...Object.fromEntries(instances.map((url, i) => [`DOCKPULSE_${i + 1}`, new URL(url).host])),
    };
    const config = configForInstances(instances.length);
    const check = spawnSync(binary, ['-c', '-f', config], { env, encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy -c refused ${config}:\n${check.stdout}${check.stderr}`);
    const child = spawn(binary, ['-db', '-f', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proxy = new HaproxyProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && proxy.child.exitCode === null) {
      if (await fetch(`${proxy.baseUrl}/api/health`).then((r) => r.ok, () => false)) return proxy;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await proxy.stop();
    throw new Error(`haproxy did not answer (or exited) within 10 s:\n${proxy.log}`);
  }

  get log(): string {
    return this.output;
  }

  async waitForLog(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (Date.now() > deadline) throw new Error(`haproxy never logged ${pattern} within ${timeoutMs} ms:\n${this.output.slice(-3_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}
