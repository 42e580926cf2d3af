import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DockerCollectors, openDocker } from './collectors/docker.js';
import { HostCollector } from './collectors/host.js';
import { LogCursors } from './collectors/log-cursors.js';
import { ProcessCollector } from './collectors/processes.js';
import { CommandRunner } from './commands.js';
import type { AgentConfig } from './config.js';
import { Connection } from './connection.js';
import { Delivery } from './delivery.js';
import { describeEndpoint } from './docker-endpoint.js';
import { loadOrEnroll } from './enrollment.js';
import { helloBody } from './host-info.js';
import { consoleLog, type Log } from './log.js';
import { every, type Task } from './schedule.js';
import { Spool } from './spool.js';
import { StateDir, type AgentIdentity } from './state.js';
import { AGENT_VERSION } from './version.js';

/** How long shutdown waits for the answers to frames already sent. */
const SHUTDOWN_GRACE_MS = 3_000;

/**
 * The whole agent: enrollment, the spool, the socket, and the collectors feeding it. `start`
 * returns once everything runs (enrollment retried until the server answers); `stop` ends it
 * cleanly, leaving anything unacknowledged in the spool for the next start.
 */
export class Agent {
  identity?: AgentIdentity;
  spool?: Spool;
  delivery?: Delivery;
  private connection?: Connection;
  private docker?: DockerCollectors;
  private tasks: Task[] = [];
  private readonly abort = new AbortController();
  private stopping?: Promise<void>;
  private state?: StateDir;

  constructor(
    readonly config: AgentConfig,
    readonly log: Log = consoleLog(config.verbose),
  ) {}

  get connected(): boolean {
    return this.connection?.connected ?? false;
  }

  async start(): Promise<void> {
    const { config, log } = this;
    const state = new StateDir(config.stateDir);
    await state.ensure();
    await state.lock();
    this.state = state;
    const identity = (this.identity = await loadOrEnroll(config, state, log, this.abort.signal));
    const spool = (this.spool = new Spool(state.spoolDir, config.spoolMaxFrames, config.spoolMaxBytes, log));
    await spool.open();
    this.abort.signal.throwIfAborted(); // stopped while enrolling or opening the spool
    const delivery = (this.delivery = new Delivery(spool, config.maxInFlight, log));
    const docker = openDocker(config.docker, log);
    const commands = new CommandRunner(docker, describeEndpoint(config.docker), delivery, log);
    this.connection = new Connection(
      { ...config, agentToken: identity.agentToken, hostId: identity.hostId, hello: () => helloBody(config, docker), onCommand: (command) => commands.handle(command) },
      delivery,
      spool,
      log,
    );
    this.connection.start();

    const host = new HostCollector(config.procDir, config.diskPath);
    this.tasks.push(every('Host metrics', config.hostMetricsIntervalMs, async () => delivery.enqueue('host_metrics', [await host.sample()]), log));
    if (existsSync(join(config.procDir, '1', 'stat'))) {
      const processes = new ProcessCollector(config.procDir);
      this.tasks.push(
        every('Process snapshot', config.processesIntervalMs, async () => {
          const ts = new Date().toISOString();
          await delivery.enqueue('processes', await processes.snapshot(), { ts });
        }, log),
      );
    } else log.warn(`No process table at ${config.procDir}: process snapshots are off`);
    if (docker) {
      const cursors = new LogCursors(state);
      await cursors.load();
      this.docker = new DockerCollectors(docker, delivery, config, cursors, new Date(identity.enrolledAt ?? Date.now()), log);
      this.docker.start();
    }
    log.info(`dockpulse-agent ${AGENT_VERSION} running for host ${identity.hostId} (state in ${config.stateDir})`);
  }

  /** Stops collecting, waits briefly for in-flight acks, closes the socket with 1000. */
  stop(): Promise<void> {
    return (this.stopping ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.tasks.map((task) => task.stop()), this.docker?.stop()]);
    await this.delivery?.finish(SHUTDOWN_GRACE_MS);
    await this.connection?.stop();
    await this.state?.unlock();
    this.log.info(`Stopped; ${this.spool?.size ?? 0} unacknowledged frame(s) stay in the spool`);
  }
}
