import type { ContainerEvent } from '@dockpulse/protocol';
import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import type { AgentConfig } from '../config.js';
import type { Delivery } from '../delivery.js';
import { describeEndpoint, dockerOptions, type DockerEndpoint } from '../docker-endpoint.js';
import type { Log } from '../log.js';
import { every, type Task } from '../schedule.js';
import { Batcher } from './batcher.js';
import { toContainerEvent } from './container-events.js';
import { DockerEvents } from './docker-events.js';
import { Inventory, inspectedFields } from './docker-inventory.js';
import { LogFollowers } from './docker-logs.js';
import { StatsSampler, statsMode } from './docker-stats-sampler.js';
import { DockerTrouble } from './docker-trouble.js';
import { LogBatcher } from './log-batcher.js';
import type { LogCursors } from './log-cursors.js';

/** A client for the Engine, or undefined when its socket is absent (a host without Docker). */
export function openDocker(endpoint: DockerEndpoint, log: Log): Docker | undefined {
  if (endpoint.kind === 'unix' && !existsSync(endpoint.path)) {
    log.warn(`No Docker socket at ${endpoint.path}: container inventory, metrics, logs and commands are off (--docker-host or DOCKER_HOST name another)`);
    return undefined;
  }
  try {
    return new Docker(dockerOptions(endpoint));
  } catch (error) {
    log.error(`Cannot use Docker at ${describeEndpoint(endpoint)}: ${(error as Error).message}; container inventory, metrics, logs and commands are off`);
    return undefined;
  }
}

/** Everything read from Docker: inventory (+ events), stats, and logs. */
export class DockerCollectors {
  private readonly inventory: Inventory;
  private readonly events: DockerEvents;
  private readonly followers: LogFollowers;
  private readonly batcher: LogBatcher;
  private readonly eventBatcher: Batcher<ContainerEvent>;
  private readonly trouble: DockerTrouble;
  private sampler?: StatsSampler;
  private tasks: Task[] = [];
  private eventsInOrder: Promise<void> = Promise.resolve();

  constructor(
    private readonly docker: Docker,
    private readonly delivery: Delivery,
    private readonly config: AgentConfig,
    private readonly cursors: LogCursors,
    enrolledAt: Date,
    private readonly log: Log,
  ) {
    this.trouble = new DockerTrouble(config.docker, log);
    this.batcher = new LogBatcher(delivery, cursors, config.logsFlushMs, log);
    this.followers = new LogFollowers(docker, this.batcher, cursors, BigInt(enrolledAt.getTime()) * 1_000_000n, log);
    this.inventory = new Inventory(docker, delivery, log, (list) => {
      this.cursors.keepOnly(new Set(list.map((c) => c.Id)));
      this.followers.sync(list.filter((c) => c.State === 'running').map((c) => c.Id));
    });
    this.eventBatcher = new Batcher(delivery, log, { type: 'container_events', flushMs: config.logsFlushMs, noun: 'container event', maxItems: 10_000 });
    this.events = new DockerEvents(
      docker,
      log,
      (event) => {
        this.inventory.requestRefresh(event.id);
        const item = toContainerEvent(event.message);
        if (item) this.announce(item);
      },
      () => this.inventory.requestRefresh(),
      this.trouble,
    );
  }

  start(): void {
    this.batcher.start();
    this.eventBatcher.start();
    this.events.start();
    this.tasks = [
      every('Container inventory', this.config.inventoryIntervalMs, () => this.quietly(this.refreshInventory()), this.log),
      every('Container stats', this.config.metricsIntervalMs, () => this.quietly(this.sampleStats()), this.log),
    ];
  }

  /** Stops reading and spools the log lines already collected. */
  async stop(): Promise<void> {
    this.followers.stop();
    await Promise.all([...this.tasks.map((task) => task.stop()), this.events.stop(), this.inventory.stop()]);
    this.sampler?.stop();
    await this.eventsInOrder;
    await Promise.all([this.batcher.stop(), this.eventBatcher.stop()]);
  }

  /**
   * Podman's `health_status` names no status: the container's own is read, so that the server's
   * `unhealthy` rules see it on the event as they do from Docker. Events keep their order.
   */
  private announce(item: ContainerEvent): void {
    this.eventsInOrder = this.eventsInOrder.then(async () => {
      if (item.action === 'health_status' && !item.health) {
        const details = await this.docker.getContainer(item.containerId).inspect().catch(() => undefined);
        const health = details && inspectedFields(details).health;
        if (health) item.health = health;
      }
      this.eventBatcher.add(item);
    });
  }

  private async refreshInventory(): Promise<void> {
    await this.inventory.refresh();
    this.trouble.recovered();
  }

  private async sampleStats(): Promise<void> {
    const running = (await this.docker.listContainers()).map((c) => c.Id);
    this.followers.sync(running);
    this.sampler ??= new StatsSampler(this.docker, await statsMode(this.docker), this.log);
    const metrics = await this.sampler.sample(running);
    if (metrics.length) await this.delivery.enqueue('metrics', metrics);
  }

  /** A refused permission is explained once by DockerTrouble, not as a failure of each task. */
  private quietly(work: Promise<void>): Promise<void> {
    return work.catch((error: unknown) => {
      if (!this.trouble.explained(error)) throw error;
    });
  }
}
