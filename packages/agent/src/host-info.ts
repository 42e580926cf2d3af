import type { HelloBody } from '@dockpulse/protocol';
import type Docker from 'dockerode';
import { cpus, release, totalmem, type as osType } from 'node:os';
import si from 'systeminformation';
import type { AgentConfig } from './config.js';
import { AGENT_VERSION } from './version.js';

/** Docker calls in hello must not hold the connection hostage. */
const TIMEOUT_MS = 5_000;
let localOs: Promise<string> | undefined;

/**
 * The `hello` body. OS and kernel come from the Engine when there is one: an agent running in a
 * container would otherwise report its own image's distribution instead of the host's.
 */
export async function helloBody(config: AgentConfig, docker: Docker | undefined): Promise<HelloBody> {
  const [version, info] = await Promise.all([within(docker?.version()), within(docker?.info() as Promise<{ OperatingSystem?: string; KernelVersion?: string }> | undefined)]);
  const os = info?.OperatingSystem || (await (localOs ??= describeOs()));
  return {
    agentVersion: AGENT_VERSION,
    hostname: config.hostname.slice(0, 253),
    os: os.slice(0, 255),
    kernel: (info?.KernelVersion || release()).slice(0, 255),
    ...(version?.Version ? { dockerVersion: version.Version.slice(0, 64) } : {}),
    cpus: Math.max(1, cpus().length),
    memoryTotal: totalmem(),
  };
}

async function describeOs(): Promise<string> {
  const info = await si.osInfo().catch(() => undefined);
  return `${info?.distro ?? ''} ${info?.release ?? ''}`.trim() || osType();
}

function within<T>(promise: Promise<T> | undefined): Promise<T | undefined> {
  if (!promise) return Promise.resolve(undefined);
  return Promise.race([promise.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), TIMEOUT_MS).unref())]);
}
