import { randomBytes } from 'node:crypto';
import { ApiClient, type Credentials } from './api-client.js';
import { SIM_AGENT_VERSION } from './fake-host.js';
import { FleetStats, type FleetStatsSnapshot } from './fleet-stats.js';
import { TELEMETRY_KINDS, type RowKind, type TelemetryKind } from './frame-kinds.js';
import { SimContainerControl } from './container-control.js';
import { globToRegExp } from './glob.js';
import { SimHost } from './sim-host.js';

export type { FleetStatsSnapshot } from './fleet-stats.js';
export { ApiClient, ApiError } from './api-client.js';
export { TELEMETRY_KINDS, type TelemetryKind } from './frame-kinds.js';
export { SimContainerControl } from './container-control.js';
export { OOM_CLIMB_ROUNDS } from './incidents.js';

/** Hosts created and enrolled at once: enough to be quick, few enough not to trip the API. */
const SETUP_BATCH = 50;

export interface FleetOptions extends Credentials {
  /** Base URL of the API, e.g. http://127.0.0.1:3000. */
  server: string;
  hosts: number;
  containersPerHost: number;
  intervalMs: number;
  /** Most unacknowledged frames per host (in flight or awaiting a resend). */
  window?: number;
  /** Telemetry kinds to send every interval; all of them by default. */
  kinds?: readonly TelemetryKind[];
  /**
   * Chance per running container and interval that it crashes (exit 1, or OOM-killed) and its
   * restart policy starts it again, announced as container_events; 0 (never) by default.
   */
  crashChance?: number;
  /** Host names are `<namePrefix>-<n>`; a random prefix by default. */
  namePrefix?: string;
  /** Where warnings go (refused frames, revoked tokens); console.warn by default. */
  log?: (line: string) => void;
}

export interface SimHostInfo {
  hostId: string;
  name: string;
  connected: boolean;
  revoked: boolean;
  dockerIds: string[];
  rowsAcked: Record<RowKind, number>;
}

/**
 * N simulated Docker hosts streaming to one DockPulse server, each an enrolled host with its own
 * agent token and socket, speaking only the public protocol of CONTRACT.md. Usable in-process by
 * tests and benchmarks, and behind the `dockpulse-sim` CLI.
 */
export class SimulatedFleet {
  private readonly counters = new FleetStats();
  private readonly members: SimHost[] = [];
  private readonly api: ApiClient;
  private stopped = false;

  constructor(private readonly options: FleetOptions) {
    if (!(options.hosts >= 1 && options.containersPerHost >= 0 && options.intervalMs >= 10)) {
      throw new RangeError('A fleet needs hosts >= 1, containersPerHost >= 0 and intervalMs >= 10');
    }
    if (!((options.crashChance ?? 0) >= 0 && (options.crashChance ?? 0) <= 1)) throw new RangeError('crashChance is a probability, between 0 and 1');
    this.api = new ApiClient(options.server);
  }

  /** The user access token the fleet set up with (for reading back what it sent). */
  get accessToken(): string | undefined {
    return this.api.accessToken;
  }

  /** Logs in or signs up, creates and enrolls every host, and opens their sockets. */
  async start(): Promise<void> {
    const { hosts, namePrefix = `sim-${randomBytes(2).toString('hex')}` } = this.options;
    await this.api.authenticate(this.options);
    const width = String(hosts).length;
    for (let first = 1; first <= hosts && !this.stopped; first += SETUP_BATCH) {
      const numbers = Array.from({ length: Math.min(SETUP_BATCH, hosts - first + 1) }, (_, i) => first + i);
      const batch = await Promise.all(numbers.map((n) => this.enroll(`${namePrefix}-${String(n).padStart(width, '0')}`)));
      for (const host of batch) {
        this.members.push(host);
        if (!this.stopped) host.start();
      }
    }
  }

  /** Resolves once every host has been welcomed; rejects after `timeoutMs`. */
  async waitUntilConnected(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.members.length < this.options.hosts || this.members.some((h) => !h.connected)) {
      if (Date.now() > deadline) {
        const connected = this.members.filter((h) => h.connected).length;
        throw new Error(`Only ${connected} of ${this.options.hosts} hosts connected within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stats(): FleetStatsSnapshot {
    return this.counters.snapshot(this.options.hosts, this.members.filter((h) => h.connected).length);
  }

  hosts(): SimHostInfo[] {
    return this.members.map((h) => ({
      hostId: h.hostId,
      name: h.fake.hostname,
      connected: h.connected,
      revoked: h.revoked,
      dockerIds: h.fake.containers.map((c) => c.object.dockerId),
      rowsAcked: { ...h.rowsAcked },
    }));
  }

  /**
   * One container, to cause incidents on: by Docker id (full, or at least 12 hex), by name when
   * only one host has it, or as `<host name>/<container name>`. Throws when none or several match.
   */
  container(ref: string): SimContainerControl {
    const matches = this.controls().filter((c) => (ref.length >= 12 && c.dockerId.startsWith(ref)) || c.name === ref || `${c.hostName}/${c.name}` === ref);
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) throw new RangeError(`No simulated container is ${JSON.stringify(ref)}`);
    throw new RangeError(`${matches.length} simulated containers are named ${JSON.stringify(ref)}; use <host name>/<container name> or a Docker id`);
  }

  /** Containers whose name matches a glob (`*-api-*`); a glob with a slash matches `<host name>/<container name>`. */
  containers(glob: string): SimContainerControl[] {
    const pattern = globToRegExp(glob);
    return this.controls().filter((c) => pattern.test(glob.includes('/') ? `${c.hostName}/${c.name}` : c.name));
  }

  /**
   * Stops sending, waits up to `drainMs` for the answers to what was already sent (so the stats
   * and the database agree), then closes every socket with 1000.
   */
  async stop(drainMs = 10_000): Promise<void> {
    this.stopped = true;
    await Promise.all(this.members.map((h) => h.stop(drainMs)));
  }

  private controls(): SimContainerControl[] {
    return this.members.flatMap((h) => h.fake.containers.map((c) => new SimContainerControl(c, h.hostId, h.fake.hostname)));
  }

  private async enroll(name: string): Promise<SimHost> {
    const created = await this.api.createHost(name);
    const enrolled = await this.api.enroll(created.enrollmentToken, name, SIM_AGENT_VERSION);
    return new SimHost({
      server: this.options.server,
      hostId: enrolled.hostId,
      name,
      agentToken: enrolled.agentToken,
      containers: this.options.containersPerHost,
      intervalMs: this.options.intervalMs,
      window: this.options.window ?? 16,
      kinds: this.options.kinds ?? TELEMETRY_KINDS,
      crashChance: this.options.crashChance ?? 0,
      stats: this.counters,
      log: this.options.log ?? ((line) => console.warn(line)),
    });
  }
}
