import type Docker from 'dockerode';
import type { ContainerMetric } from '../protocol.js';

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** The parts of the Engine API's stats answer the agent reads; every field may be missing. */
export interface DockerStats {
  read?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  pids_stats?: { current?: number };
}

/** Exactly as `docker stats` (docker/cli calculateCPUPercentUnix): percent of one CPU, up to 100 × CPUs. */
export function cpuPercent(stats: DockerStats): number {
  const cpu = stats.cpu_stats ?? {};
  const pre = stats.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const onlineCpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 0;
  if (systemDelta <= 0 || cpuDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * onlineCpus * 100;
}

/**
 * Usage without the page cache that can be reclaimed, as `docker stats` shows it
 * (calculateMemUsageUnixNoCache): cgroup v1 reports total_inactive_file, v2 inactive_file.
 */
export function memoryUsed(memory: DockerStats['memory_stats']): number {
  const usage = memory?.usage ?? 0;
  const stats = memory?.stats ?? {};
  if (stats.total_inactive_file !== undefined && stats.total_inactive_file < usage) return usage - stats.total_inactive_file;
  if (stats.inactive_file !== undefined && stats.inactive_file < usage) return usage - stats.inactive_file;
  return usage;
}

export function toMetric(containerId: string, stats: DockerStats): ContainerMetric {
  let networkRx = 0;
  let networkTx = 0;
  for (const network of Object.values(stats.networks ?? {})) {
    networkRx += network.rx_bytes ?? 0;
    networkTx += network.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  // cgroup v1 spells the ops "Read"/"Write", v2 "read"/"write".
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op.toLowerCase();
    if (op === 'read') blockRead += entry.value;
    else if (op === 'write') blockWrite += entry.value;
  }
  const read = stats.read ? Date.parse(stats.read) : NaN;
  return {
    containerId,
    // The daemon's own sample time; year 1 means "never sampled" (container not running).
    ts: Number.isFinite(read) && read > Date.UTC(2000, 0, 1) ? new Date(read).toISOString() : new Date().toISOString(),
    cpuPercent: Math.min(100_000, cpuPercent(stats)),
    memoryUsed: count(memoryUsed(stats.memory_stats)),
    memoryLimit: count(stats.memory_stats?.limit),
    networkRx: count(networkRx),
    networkTx: count(networkTx),
    blockRead: count(blockRead),
    blockWrite: count(blockWrite),
    pids: count(stats.pids_stats?.current),
  };
}

const count = (n: number | undefined) => Math.max(0, Math.round(Number.isFinite(n) ? (n as number) : 0));

/** Samples of the given running containers, a few at a time (each stats call takes ~1 s). */
export async function collectStats(docker: Docker, ids: string[], concurrency = 8): Promise<ContainerMetric[]> {
  const metrics: ContainerMetric[] = [];
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      // A container that stopped meanwhile has no stats: skip it, the next tick will not list it.
      const stats = await docker.getContainer(id).stats({ stream: false }).catch(() => undefined);
      if (stats) metrics.push(toMetric(id, stats as unknown as DockerStats));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return metrics;
}
