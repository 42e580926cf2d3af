import type { ContainerEvent } from '@dockpulse/protocol';
import { randomInt } from 'node:crypto';
import { applyAction, crash, fakeInventory, type SimContainer } from './fake-inventory.js';
import type { OutboundFrame } from './frame-kinds.js';
import { incidentRound, type IncidentRound } from './incidents.js';
import { between, clamp, hex, pick, rfc3339Nanos, walk } from './random.js';
import { HOST_PROCESSES } from './service-catalog.js';

export const SIM_AGENT_VERSION = '0.1.0-sim';
const PROCESSES_PER_SNAPSHOT = 20;
const GiB = 1024 ** 3;

/**
 * The telemetry of one simulated Docker host. Every row it makes is unique under the server's
 * natural keys (timestamps strictly increase, log lines differ by nanoseconds), so a test can
 * expect exactly as many stored rows as were acknowledged.
 */
export class FakeHost {
  readonly containers: SimContainer[];
  readonly cpus = pick([2, 4, 8, 16]);
  readonly memoryTotal = this.cpus * 4 * GiB;
  private readonly diskTotal = pick([100, 250, 500]) * GiB;
  private diskUsed = this.diskTotal * between(0.2, 0.6);
  private networkRx = Math.floor(between(1e9, 1e11));
  private networkTx = Math.floor(between(1e9, 1e11));
  private load = this.cpus * 0.3;
  private readonly processes: { pid: number; ppid: number; name: string; command: string; user: string }[];
  private lastTs = 0;

  constructor(
    readonly hostname: string,
    containerCount: number,
  ) {
    this.containers = fakeInventory(containerCount);
    this.processes = this.processTable();
  }

  hello(): OutboundFrame {
    return { type: 'hello', agentVersion: SIM_AGENT_VERSION, hostname: this.hostname, os: 'Ubuntu 24.04.1 LTS', kernel: '6.8.0-49-generic', dockerVersion: '27.3.1', cpus: this.cpus, memoryTotal: this.memoryTotal };
  }

  inventory(): OutboundFrame {
    return { type: 'containers', data: this.containers.map((c) => c.object) };
  }

  /** A timestamp strictly after the previous one, so (container, ts) keys never repeat. */
  nextTs(): number {
    this.lastTs = Math.max(Date.now(), this.lastTs + 1);
    return this.lastTs;
  }

  /** One sample per running container, `elapsedMs` after the previous one. */
  metrics(ts: number, elapsedMs: number): OutboundFrame {
    const seconds = elapsedMs / 1000;
    const data = this.running().map((c) => {
      c.cpuPercent = walk(c.cpuPercent, c.template.cpu, 0.4, 0, this.cpus * 100);
      // A container running out of memory climbs steadily instead (incidents.ts).
      if (c.faults.oomRounds === undefined) c.memoryUsed = Math.round(walk(c.memoryUsed, c.template.memory, 0.05, 1024 * 1024, c.memoryLimit));
      // Counters only grow, like Docker's cumulative stats.
      c.networkRx += Math.floor(between(2e3, 2e5) * seconds);
      c.networkTx += Math.floor(between(1e3, 1e5) * seconds);
      c.blockRead += Math.floor(between(0, 5e4) * seconds);
      c.blockWrite += Math.floor(between(0, 1e5) * seconds);
      c.pids = Math.max(1, c.pids + randomInt(-1, 2));
      const { cpuPercent, memoryUsed, memoryLimit, networkRx, networkTx, blockRead, blockWrite, pids } = c;
      return { containerId: c.object.dockerId, ts, cpuPercent: round2(cpuPercent), memoryUsed, memoryLimit, networkRx, networkTx, blockRead, blockWrite, pids };
    });
    return { type: 'metrics', data };
  }

  hostMetrics(ts: number, elapsedMs: number): OutboundFrame {
    const seconds = elapsedMs / 1000;
    const containerCpu = this.running().reduce((sum, c) => sum + c.cpuPercent, 0) / this.cpus;
    const memoryUsed = Math.min(this.memoryTotal, Math.round(this.running().reduce((sum, c) => sum + c.memoryUsed, 1.5 * GiB)));
    this.load = walk(this.load, Math.max(0.05, (containerCpu / 100) * this.cpus), 0.2, 0, this.cpus * 4);
    this.diskUsed = Math.min(this.diskTotal, this.diskUsed + between(0, 2e5) * seconds);
    this.networkRx += Math.floor(between(1e4, 1e6) * seconds);
    this.networkTx += Math.floor(between(1e4, 5e5) * seconds);
    const sample = {
      ts,
      cpuPercent: round2(clamp(containerCpu + between(1, 4), 0, 100)),
      load1: round2(this.load),
      load5: round2(this.load * 0.9),
      load15: round2(this.load * 0.8),
      memoryUsed,
      memoryTotal: this.memoryTotal,
      diskUsed: Math.floor(this.diskUsed),
      diskTotal: this.diskTotal,
      networkRx: this.networkRx,
      networkTx: this.networkTx,
    };
    return { type: 'host_metrics', data: [sample] };
  }

  /** A few lines per running container, stamped within (sinceMs, ts] with distinct nanoseconds. */
  logs(ts: number, sinceMs: number): OutboundFrame {
    const data = this.running().flatMap((c) => {
      const at = Math.max(sinceMs + 1, ts - randomInt(Math.max(1, ts - sinceMs)));
      return Array.from({ length: randomInt(1, 4) }, (_, i) => ({
        containerId: c.object.dockerId,
        // Distinct sub-millisecond parts keep the lines of one container apart on (ts, nanos).
        ts: rfc3339Nanos(at, i * 100_000 + randomInt(100_000)),
        stream: Math.random() < c.template.stderrShare ? 'stderr' : 'stdout',
        line: fill(pick(c.template.logs)),
      }));
    });
    return { type: 'logs', data };
  }

  /** A snapshot of ~20 processes: the host's own plus its containers'. */
  processesSnapshot(ts: number): OutboundFrame {
    const data = this.processes.map((p) => {
      const cpuPercent = round2(between(0, p.name === 'dockerd' ? 5 : 15));
      const memoryRss = Math.floor(between(4e6, 3e8));
      const memoryPercent = round2((memoryRss / this.memoryTotal) * 100);
      return { ...p, cpuPercent, memoryRss, memoryPercent, threads: randomInt(1, 40), state: Math.random() < 0.1 ? 'R' : 'S' };
    });
    return { type: 'processes', ts, data };
  }

  /** Carries out a command on a container known by full or short Docker id: the engine's events, or undefined if unknown. */
  apply(action: string, containerId: string): ContainerEvent[] | undefined {
    const container = this.containers.find((c) => c.object.dockerId.startsWith(containerId) && containerId.length >= 12);
    return container && applyAction(container, action, () => this.nextTs());
  }

  /** This round of the incidents asked for, and of the healthchecks; call it before the round's metrics. */
  incidents(): IncidentRound {
    return incidentRound(this.containers, () => this.nextTs());
  }

  /** Each running container crashes with probability `chance` and is restarted by its restart policy: the engine's events. */
  crashes(chance: number): ContainerEvent[] {
    if (!(chance > 0)) return [];
    return this.running()
      .filter(() => Math.random() < chance)
      .flatMap((c) => crash(c, () => this.nextTs()));
  }

  private running(): SimContainer[] {
    return this.containers.filter((c) => c.object.state === 'running');
  }

  private processTable() {
    const named = [
      ...HOST_PROCESSES.map(([name, command, user]) => ({ name, command, user })),
      ...this.containers.flatMap((c) => c.template.processes.map(([name, command]) => ({ name, command, user: name === 'postgres' ? 'postgres' : 'root' }))),
    ];
    while (named.length < PROCESSES_PER_SNAPSHOT) named.push({ name: `kworker/${named.length}:1`, command: `[kworker/${named.length}:1-events]`, user: 'root' });
    // Pids are stable for the host's lifetime, so a process's history can be followed.
    let pid = 1;
    return named.slice(0, PROCESSES_PER_SNAPSHOT).map((p, i) => {
      pid = i === 0 ? 1 : pid + randomInt(1, 900);
      return { pid, ppid: i === 0 ? 0 : 1, ...p };
    });
  }
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function fill(template: string): string {
  return template.replace(/\{n\}/g, () => String(randomInt(1, 100))).replace(/\{id\}/g, () => hex(6));
}
