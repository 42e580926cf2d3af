import type { HostMetric } from '@dockpulse/protocol';
import { readFile, statfs } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import si from 'systeminformation';

/**
 * Bridges and veth pairs carry container traffic that also crosses the physical interface:
 * counting them too would double it. Loopback is not network traffic at all.
 */
const VIRTUAL_INTERFACE = /^(lo|veth|docker|br-|virbr|cni|flannel|cali|vxlan|ifb)/;

/** Host CPU, load, memory, disk of one filesystem and cumulative network bytes. */
export class HostCollector {
  constructor(
    private readonly procDir: string,
    private readonly diskPath: string,
  ) {}

  async sample(): Promise<HostMetric> {
    const [cpu, memory, disk, network] = await Promise.all([si.currentLoad(), si.mem(), statfs(this.diskPath), this.network()]);
    const [load1, load5, load15] = loadavg();
    return {
      ts: new Date().toISOString(),
      cpuPercent: Math.min(100, Math.max(0, round2(cpu.currentLoad))),
      load1: round2(load1),
      load5: round2(load5),
      load15: round2(load15),
      memoryUsed: Math.max(0, memory.total - memory.available),
      memoryTotal: memory.total,
      // As df counts: "used" is what is not free, reserved root blocks included.
      diskUsed: (disk.blocks - disk.bfree) * disk.bsize,
      diskTotal: disk.blocks * disk.bsize,
      ...network,
    };
  }

  /**
   * Summed over physical interfaces. Reads PID 1's view, so an agent in a container with the host's
   * /proc mounted reports the host's network rather than its own namespace's.
   */
  private async network(): Promise<{ networkRx: number; networkTx: number }> {
    const text = await readFile(join(this.procDir, '1/net/dev'), 'utf8').catch(() => readFile(join(this.procDir, 'net/dev'), 'utf8'));
    let networkRx = 0;
    let networkTx = 0;
    for (const line of text.split('\n').slice(2)) {
      const [name, counters] = line.split(':');
      if (!counters || VIRTUAL_INTERFACE.test(name.trim())) continue;
      const fields = counters.trim().split(/\s+/).map(Number);
      networkRx += fields[0] || 0;
      networkTx += fields[8] || 0;
    }
    return { networkRx, networkTx };
  }
}

const round2 = (n: number) => Math.round((Number.isFinite(n) ? n : 0) * 100) / 100;
