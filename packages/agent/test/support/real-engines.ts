import Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../../../../test/support/test-app.js';

const run = promisify(execFile);
const ENGINES_SCRIPT = fileURLToPath(new URL('../../../../.ci/engines.sh', import.meta.url));
export const IMAGE = 'local/busybox';

export interface RealEngine {
  name: 'docker' | 'podman';
  /** unix:///path/to/engine.sock */
  host: string;
  socketPath: string;
  api: Docker;
}

export interface RealEngines {
  engines: RealEngine[];
  /** Why there is no engine at all (the suite then skips, saying so). */
  missing?: string;
  stop(): Promise<void>;
}

/**
 * The real engines to test against: the ones `.ci/run` started (DOCKPULSE_TEST_DOCKER_HOST,
 * DOCKPULSE_TEST_PODMAN_HOST), or else private ones this run starts with .ci/engines.sh when it can
 * (root, dockerd installed; it installs nothing). An engine named by a variable that does not answer
 * fails the run; DOCKPULSE_TEST_ENGINES=required turns "no engine" into a failure too (CI).
 */
export async function realEngines(): Promise<RealEngines> {
  let stop = async () => undefined;
  let env: Record<string, string | undefined> = process.env;
  if (!env.DOCKPULSE_TEST_DOCKER_HOST && !env.DOCKPULSE_TEST_PODMAN_HOST) {
    const why = cannotStart();
    if (why) return absent(why);
    const dir = tempDir('engines-');
    try {
      await run(ENGINES_SCRIPT, ['start', dir], { env: { ...process.env, ENGINES_INSTALL: '0' }, timeout: 120_000 });
    } catch (error) {
      await run(ENGINES_SCRIPT, ['stop', dir]).catch(() => undefined);
      return absent(`.ci/engines.sh could not start an engine: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
    }
    env = Object.fromEntries([...readFileSync(`${dir}/env`, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    stop = async () => void (await run(ENGINES_SCRIPT, ['stop', dir]).catch(() => undefined));
  }
  const engines: RealEngine[] = [];
  for (const [name, host] of [['docker', env.DOCKPULSE_TEST_DOCKER_HOST], ['podman', env.DOCKPULSE_TEST_PODMAN_HOST]] as const) {
    if (!host) continue;
    const socketPath = host.replace(/^unix:\/\//, '');
    const api = new Docker({ socketPath, host: undefined } as Docker.DockerOptions);
    await api.ping().catch((error: Error) => {
      throw new Error(`The ${name} engine at ${host} does not answer: ${error.message}`);
    });
    engines.push({ name, host, socketPath, api });
  }
  return { engines, stop };
}

function absent(why: string): RealEngines {
  if (process.env.DOCKPULSE_TEST_ENGINES === 'required') throw new Error(`DOCKPULSE_TEST_ENGINES=required but ${why}`);
  return { engines: [], missing: why, stop: async () => undefined };
}

function cannotStart(): string | undefined {
  if (process.getuid?.() !== 0) return 'no engine: set DOCKPULSE_TEST_DOCKER_HOST, or run as root with docker.io installed (see .ci/engines.sh)';
  if (!['/usr/sbin/dockerd', '/usr/bin/dockerd'].some(existsSync)) return 'no engine: dockerd is not installed (apt-get install docker.io busybox-static), and DOCKPULSE_TEST_DOCKER_HOST is not set';
  return undefined;
}

/** Creates and starts a busybox container on the host network; every test container carries `label`. */
export async function runContainer(
  engine: RealEngine,
  label: string,
  name: string,
  cmd: string,
  options: { nanoCpus?: number; start?: boolean; healthcheck?: boolean } = {},
): Promise<Docker.Container> {
  const container = await engine.api.createContainer({
    name,
    Image: IMAGE,
    Cmd: ['sh', '-c', cmd],
    Labels: { [label]: '1' },
    // A check that passes, every second (durations in nanoseconds).
    ...(options.healthcheck ? { Healthcheck: { Test: ['CMD', 'true'], Interval: 1e9, Timeout: 1e9, Retries: 1 } } : {}),
    HostConfig: { NetworkMode: 'host', ...(options.nanoCpus ? { NanoCpus: options.nanoCpus } : {}) },
  });
  if (options.start !== false) await container.start();
  return container;
}

/** Removes every container carrying `label`. */
export async function removeLabelled(engine: RealEngine, label: string): Promise<void> {
  const list = await engine.api.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(list.map((c) => engine.api.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}
