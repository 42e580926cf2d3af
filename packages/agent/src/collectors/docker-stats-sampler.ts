import type { ContainerMetric } from '@dockpulse/protocol';
import type Docker from 'dockerode';
import { errorText, type Log } from '../log.js';
import { cpuPercent, cpuReference, readTime, toMetric, type CpuReference, type DockerStats } from './docker-stats.js';

/**
 * - `stream` (Docker): a `stream=false` answer waits for two of the Engine's once-a-second
 *   collections (1–2 s a container), so polling stretches the interval with the container count.
 *   Instead each running container has one open `stats` stream; the Engine pushes a sample about
 *   every second and a tick takes the newest, however many containers there are.
 * - `poll` (Podman): answers one-shot requests at once, but leaves `precpu_stats` empty and
 *   streams only every 5 s; each tick asks every container, a bounded number at a time.
 */
export type StatsMode = 'stream' | 'poll';

export async function statsMode(docker: Docker): Promise<StatsMode> {
  const version = (await docker.version()) as { Components?: { Name?: string }[] };
  return version.Components?.some((component) => /podman/i.test(component.Name ?? '')) ? 'poll' : 'stream';
}

/** One metric per running container per tick, from a sample newer than the one sent before. */
export class StatsSampler {
  /** Stream mode: the newest line each container's stream pushed, parsed only when a tick takes it. */
  private readonly latest = new Map<string, string>();
  private readonly streams = new Map<string, AbortController>();
  private readonly references = new Map<string, CpuReference>();
  private readonly sentReadMs = new Map<string, number>();

  constructor(
    private readonly docker: Docker,
    readonly mode: StatsMode,
    private readonly log: Log,
    private readonly concurrency = 16,
  ) {}

  async sample(running: string[]): Promise<ContainerMetric[]> {
    this.forgetAllBut(new Set(running));
    const samples = this.mode === 'stream' ? this.fromStreams(running) : await this.poll(running);
    const metrics: ContainerMetric[] = [];
    for (const [id, stats] of samples) {
      const readMs = readTime(stats);
      if (readMs === undefined || readMs <= (this.sentReadMs.get(id) ?? 0)) continue;
      const cpu = cpuPercent(stats, this.references.get(id));
      const reference = cpuReference(stats);
      if (reference) this.references.set(id, reference);
      // No CPU figure yet (a first one-shot answer): this sample is the next one's reference.
      if (cpu === undefined) continue;
      this.sentReadMs.set(id, readMs);
      metrics.push(toMetric(id, stats, cpu));
    }
    return metrics;
  }

  stop(): void {
    for (const controller of this.streams.values()) controller.abort();
    this.streams.clear();
  }

  private fromStreams(running: string[]): [string, DockerStats][] {
    const samples: [string, DockerStats][] = [];
    for (const id of running) {
      if (!this.streams.has(id)) this.follow(id);
      const line = this.latest.get(id);
      if (!line) continue;
      try {
        samples.push([id, JSON.parse(line) as DockerStats]);
      } catch {
        this.log.debug(`Unreadable stats of ${id.slice(0, 12)}: ${line.slice(0, 200)}`);
      }
    }
    return samples;
  }

  private follow(id: string): void {
    const controller = new AbortController();
    this.streams.set(id, controller);
    const done = (error?: unknown) => {
      if (this.streams.get(id) === controller) this.streams.delete(id);
      if (error && !controller.signal.aborted) this.log.debug(`Stats stream of ${id.slice(0, 12)} ended: ${errorText(error)}`);
    };
    this.docker
      .getContainer(id)
      .stats({ stream: true, abortSignal: controller.signal } as { stream: true })
      .then((readable) => {
        let pending = '';
        readable.on('data', (chunk: Buffer) => {
          pending += chunk.toString();
          const end = pending.lastIndexOf('\n');
          if (end < 0) return;
          const complete = pending.slice(0, end).trimEnd();
          pending = pending.slice(end + 1);
          const line = complete.slice(complete.lastIndexOf('\n') + 1);
          if (line && !controller.signal.aborted) this.latest.set(id, line);
        });
        readable.once('end', () => done());
        readable.once('close', () => done());
        readable.once('error', done);
      }, done);
  }

  private async poll(running: string[]): Promise<[string, DockerStats][]> {
    const samples: [string, DockerStats][] = [];
    const queue = [...running];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        // A container that stopped meanwhile has no stats: skip it, the next tick will not list it.
        const stats = await this.docker
          .getContainer(id)
          .stats({ stream: false, 'one-shot': true })
          .catch(() => undefined);
        if (stats) samples.push([id, stats as unknown as DockerStats]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    return samples;
  }

  private forgetAllBut(running: Set<string>): void {
    for (const map of [this.latest, this.references, this.sentReadMs]) for (const id of map.keys()) if (!running.has(id)) map.delete(id);
    for (const [id, controller] of this.streams) {
      if (running.has(id)) continue;
      controller.abort();
      this.streams.delete(id);
    }
  }
}
