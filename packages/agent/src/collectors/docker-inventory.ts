import { CONTAINER_HEALTH, type ContainerHealth, type ContainerObject } from '@dockpulse/protocol';
import type Docker from 'dockerode';
import type { Delivery } from '../delivery.js';
import type { Log } from '../log.js';

/** Docker writes year 1 for "never started" and "never finished". */
const NEVER = /^0001-/;
/** Inspections at a time: the first snapshot of a busy host inspects every container. */
const INSPECT_CONCURRENCY = 4;
const HEALTH = new Set<string>(CONTAINER_HEALTH);

export type InspectedFields = Pick<ContainerObject, 'startedAt' | 'finishedAt' | 'exitCode' | 'restartCount' | 'health'>;

/**
 * The `containers` frame: a full snapshot from listContainers({all: true}). The list lacks the
 * start and finish times, exit code, restart count and health, so each container is inspected
 * once and again only when the list shows another state or health, or an event names it.
 * Refreshes run one at a time; requests that arrive meanwhile (a burst of Docker events) fold into
 * one more refresh after a short pause, and one more once the events have been quiet for
 * `settleMs`: Docker announces `die` before its list shows the container exited, so a refresh
 * right after the event can still read "running".
 */
export class Inventory {
  private readonly inspected = new Map<string, { seen: string; fields: InspectedFields }>();
  private running: Promise<void> = Promise.resolve();
  private pending?: NodeJS.Timeout;
  private settle?: NodeJS.Timeout;

  constructor(
    private readonly docker: Docker,
    private readonly delivery: Delivery,
    private readonly log: Log,
    private readonly onSnapshot: (containers: Docker.ContainerInfo[]) => void,
    private readonly debounceMs = 100,
    private readonly settleMs = 1_000,
  ) {}

  /** Full refresh now (after any running one). */
  refresh(): Promise<void> {
    this.running = this.running.catch(() => undefined).then(() => this.snapshot());
    return this.running;
  }

  /** A Docker event changed something: refresh soon, once for a burst. */
  requestRefresh(changedId?: string): void {
    if (changedId) this.inspected.delete(changedId);
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.refreshLogged(), this.settleMs);
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      this.refreshLogged();
    }, this.debounceMs);
  }

  stop(): Promise<void> {
    clearTimeout(this.pending);
    clearTimeout(this.settle);
    return this.running.catch(() => undefined);
  }

  private refreshLogged(): void {
    this.refresh().catch((error: Error) => this.log.warn(`Container inventory refresh failed: ${error.message}`));
  }

  private async snapshot(): Promise<void> {
    const list = await this.docker.listContainers({ all: true });
    const seen = new Set(list.map((c) => c.Id));
    for (const id of this.inspected.keys()) if (!seen.has(id)) this.inspected.delete(id);
    const details = await mapLimited(list, INSPECT_CONCURRENCY, (info) => this.details(info));
    const containers: ContainerObject[] = list.map((info, i) => ({ ...toContainer(info), ...details[i] }));
    await this.delivery.enqueue('containers', containers);
    this.log.debug(`Inventory: ${containers.length} container(s)`);
    this.onSnapshot(list);
  }

  private async details(info: Docker.ContainerInfo): Promise<InspectedFields> {
    const seen = listedState(info);
    const known = this.inspected.get(info.Id);
    if (known && known.seen === seen) return known.fields;
    const details = await this.docker.getContainer(info.Id).inspect().catch(() => undefined);
    if (!details) return {};
    const fields = inspectedFields(details);
    this.inspected.set(info.Id, { seen, fields });
    return fields;
  }
}

/** What the list shows of a change inspect would see: the state, and the health Docker adds to the status (`Up 2 minutes (healthy)`). */
function listedState(info: Docker.ContainerInfo): string {
  return `${info.State} ${/\((healthy|unhealthy|health: starting)\)/.exec(info.Status ?? '')?.[1] ?? ''}`;
}

/** The container object's fields that only inspect tells; times Docker writes as year 1 ("never") are left out. */
export function inspectedFields(details: Docker.ContainerInspectInfo): InspectedFields {
  const { StartedAt, FinishedAt, ExitCode, Health } = details.State ?? {};
  const fields: InspectedFields = {};
  if (StartedAt && !NEVER.test(StartedAt)) fields.startedAt = StartedAt;
  if (FinishedAt && !NEVER.test(FinishedAt)) fields.finishedAt = FinishedAt;
  if (Number.isInteger(ExitCode)) fields.exitCode = ExitCode;
  if (Number.isInteger(details.RestartCount)) fields.restartCount = details.RestartCount;
  if (Health?.Status && HEALTH.has(Health.Status)) fields.health = Health.Status as ContainerHealth;
  return fields;
}

/** `work` on every item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function toContainer(info: Docker.ContainerInfo): Omit<ContainerObject, keyof InspectedFields> {
  return {
    dockerId: info.Id,
    // The API lists names with a leading slash (`/web-1`); people know them without it.
    name: (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, ''),
    image: info.Image,
    imageId: info.ImageID,
    command: info.Command,
    state: info.State,
    status: info.Status,
    ports: (info.Ports ?? []).map((p) => ({ ...(p.IP ? { ip: p.IP } : {}), privatePort: p.PrivatePort, ...(p.PublicPort ? { publicPort: p.PublicPort } : {}), type: p.Type })),
    labels: info.Labels ?? {},
  };
}
