import { cpuPercent, cpuReference, type DockerStats } from './docker-stats.js';

/** What Podman answers to stats?stream=false (and Docker to one-shot): no previous sample. */
const podman = (read: string, totalUsage: number): DockerStats => ({
  read,
  cpu_stats: { cpu_usage: { total_usage: totalUsage }, system_cpu_usage: 340_717_544_576, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 0 } },
});

describe('CPU % of a container', () => {
  it("uses the engine's previous sample when it gives one, as docker stats does", () => {
    const docker: DockerStats = {
      read: '2026-01-01T10:00:01Z',
      cpu_stats: { cpu_usage: { total_usage: 1_500_000_000 }, system_cpu_usage: 12_000_000_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 10_000_000_000 },
    };
    expect(cpuPercent(docker, { totalUsage: 0, readMs: 0 })).toBe(50);
  });

  it("falls back to the agent's own previous sample: CPU time over wall time between the reads", () => {
    const first = podman('2026-01-01T10:00:00.000Z', 2_000_000_000);
    expect(cpuPercent(first)).toBeUndefined();
    const later = podman('2026-01-01T10:00:05.000Z', 4_450_000_000);
    expect(cpuPercent(later, cpuReference(first))).toBeCloseTo(49, 6);
  });

  it('has no figure across a counter reset (the container restarted) or from an older reference', () => {
    const reference = cpuReference(podman('2026-01-01T10:00:00Z', 9_000_000_000));
    expect(cpuPercent(podman('2026-01-01T10:00:05Z', 1_000_000_000), reference)).toBeUndefined();
    expect(cpuPercent(podman('2025-12-31T10:00:00Z', 10_000_000_000), reference)).toBeUndefined();
    expect(cpuReference(podman('0001-01-01T00:00:00Z', 5))).toBeUndefined();
  });
});
