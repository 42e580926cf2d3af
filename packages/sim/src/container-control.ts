import type { ContainerObject } from '@dockpulse/protocol';
import type { SimContainer } from './fake-inventory.js';

/**
 * Incidents on demand for one simulated container. Each takes effect at its host's next telemetry
 * round and is announced as the engine would: `container_events`, then the changed inventory.
 */
export class SimContainerControl {
  constructor(
    private readonly container: SimContainer,
    readonly hostId: string,
    readonly hostName: string,
  ) {}

  get dockerId(): string {
    return this.container.object.dockerId;
  }

  get name(): string {
    return this.container.object.name;
  }

  get hasHealthcheck(): boolean {
    return this.container.template.healthcheck === true;
  }

  /** The container as the next inventory will report it. */
  get object(): ContainerObject {
    return { ...this.container.object };
  }

  /**
   * Dies with exit code 1 (after a few `panic:` lines on stderr) in one round, and is started again
   * by its restart policy in the next, its restart count growing, until stopCrashLoop().
   */
  crashLoop(): this {
    this.container.faults.crashLoop = 'looping';
    return this;
  }

  /** Ends a crash loop: started once more if it lies dead, then left running. */
  stopCrashLoop(): this {
    if (this.container.faults.crashLoop) this.container.faults.crashLoop = 'recovering';
    return this;
  }

  /** Its memory climbs to its limit over three rounds; then `oom` and `die` with 137, and it stays exited until started. */
  oomKill(): this {
    if (this.container.object.state !== 'running') throw new RangeError(`${this.name} is not running, so it cannot run out of memory`);
    this.container.faults.oomRounds ??= 0;
    return this;
  }

  /** Its healthcheck starts failing: `health_status` unhealthy, and unhealthy in the inventory. */
  makeUnhealthy(): this {
    if (!this.hasHealthcheck) throw new RangeError(`${this.name} (${this.container.object.image}) has no healthcheck, so it cannot become unhealthy`);
    this.container.faults.failingHealthcheck = true;
    return this;
  }

  /** Its healthcheck passes again: `health_status` healthy if it was not. */
  makeHealthy(): this {
    delete this.container.faults.failingHealthcheck;
    return this;
  }
}
