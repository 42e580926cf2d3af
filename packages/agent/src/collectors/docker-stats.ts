import type { ContainerMetric } from '@dockpulse/protocol';

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

/** The agent's own previous sample of a container: CPU time used and when the engine read it. */
export interface CpuReference {
  totalUsage: number;
  readMs: number;
}

/**
 * CPU % as `docker stats` shows it: percent of one CPU, up to 100 × CPUs. From the answer's own
 * previous sample when the engine fills it (docker/cli calculateCPUPercentUnix); otherwise
 * (Podman, Docker's one-shot and first streamed answers leave `precpu_stats` empty) from the
 * agent's own previous sample as CPU time over wall time between the two reads, which is the same
 * figure (Docker's system delta is wall time × online CPUs). Undefined when there is neither.
 */
export function cpuPercent(stats: DockerStats, reference?: CpuReference): number | undefined {
  const cpu = stats.cpu_stats ?? {};
  const pre = stats.precpu_stats ?? {};
  const total = cpu.cpu_usage?.total_usage ?? 0;
  if (pre.system_cpu_usage && pre.cpu_usage?.total_usage !== undefined) {
    const cpuDelta = total - pre.cpu_usage.total_usage;
    const systemDelta = (cpu.system_cpu_usage ?? 0) - pre.system_cpu_usage;
    const onlineCpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 0;
    if (systemDelta <= 0 || cpuDelta <= 0) return 0;
    return (cpuDelta / systemDelta) * onlineCpus * 100;
  }
  const readMs = readTime(stats);
  if (!reference || readMs === undefined || readMs <= reference.readMs || total < reference.totalUsage) return undefined;
  return ((total - reference.totalUsage) / ((readMs - reference.readMs) * 1e6)) * 100;
}

/** The engine's sample time in ms; undefined for year 1 ("never sampled": the container is not running). */
export function readTime(stats: DockerStats): number | undefined {
  const read = stats.read ? Date.parse(stats.read) : NaN;
  return Number.isFinite(read) && read > Date.UTC(2000, 0, 1) ? read : undefined;
}

export function cpuReference(stats: DockerStats): CpuReference | undefined {
  const readMs = readTime(stats);
  const totalUsage = stats.cpu_stats?.cpu_usage?.total_usage;
  return readMs !== undefined && totalUsage !== undefined ? { totalUsage, readMs } : undefined;
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

export function toMetric(containerId: string, stats: DockerStats, cpu: number): ContainerMetric {
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
  return {
    containerId,
    ts: new Date(readTime(stats) ?? Date.now()).toISOString(),
    cpuPercent: Math.min(100_000, Math.max(0, cpu)),
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
