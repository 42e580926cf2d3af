import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import type { AgentConfig } from '../config.js';
import type { Delivery } from '../delivery.js';
import type { Log } from '../log.js';
import { every, type Task } from '../schedule.js';
import { DockerEvents } from './docker-events.js';
import { Inventory } from './docker-inventory.js';
import { LogFollowers } from './docker-logs.js';
import { collectStats } from './docker-stats.js';
import { LogBatcher } from './log-batcher.js';
import type { LogCursors } from './log-cursors.js';

/** A client for the Engine socket, or undefined when there is none (a host without Docker). */
export function openDocker(socketPath: string, log: Log): Docker | undefined {
  if (!existsSync(socketPath)) {
    log.warn(`No Docker socket at ${socketPath}: container inventory, metrics, logs and commands are off`);
    return undefined;
  }
  return new Docker({ socketPath });
}

/** Everything read from Docker: inventory (+ events), stats, and logs. */
export class DockerCollectors {
  private readonly inventory: Inventory;
  private readonly events: DockerEvents;
  private readonly followers: LogFollowers;
  private readonly batcher: LogBatcher;
  private tasks: Task[] = [];

  constructor(
    private readonly docker: Docker,
    private readonly delivery: Delivery,
    private readonly config: AgentConfig,
    private readonly cursors: LogCursors,
    enrolledAt: Date,
    private readonly log: Log,
  ) {
    this.batcher = new LogBatcher(delivery, cursors, config.logsFlushMs, log);
    this.followers = new LogFollowers(docker, this.batcher, cursors, BigInt(enrolledAt.getTime()) * 1_000_000n, log);
    this.inventory = new Inventory(docker, delivery, log, (list) => {
      this.cursors.keepOnly(new Set(list.map((c) => c.Id)));
      this.followers.sync(list.filter((c) => c.State === 'running').map((c) => c.Id));
    });
    this.events = new DockerEvents(
      docker,
      log,
      (event) => this.inventory.requestRefresh(event.id),
      () => this.inventory.requestRefresh(),
    );
  }

  start(): void {
    this.batcher.start();
    this.events.start();
    this.tasks = [
      every('Container inventory', this.config.inventoryIntervalMs, () => this.inventory.refresh(), this.log),
      every('Container stats', this.config.metricsIntervalMs, () => this.sampleStats(), this.log),
    ];
  }

  /** Stops reading and spools the log lines already collected. */
  async stop(): Promise<void> {
    this.followers.stop();
    await Promise.all([...this.tasks.map((task) => task.stop()), this.events.stop(), this.inventory.stop()]);
    await this.batcher.stop();
  }

  private async sampleStats(): Promise<void> {
    const running = (await this.docker.listContainers()).map((c) => c.Id);
    this.followers.sync(running);
    const metrics = await collectStats(this.docker, running);
    if (metrics.length) await this.delivery.enqueue('metrics', metrics);
  }
}
