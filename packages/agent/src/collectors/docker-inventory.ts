import type { ContainerObject } from '@dockpulse/protocol';
import type Docker from 'dockerode';
import type { Delivery } from '../delivery.js';
import type { Log } from '../log.js';

/** Docker writes year 1 for "never started". */
const NEVER = /^0001-/;

/**
 * The `containers` frame: a full snapshot from listContainers({all: true}). The list lacks the
 * start time, so each container is inspected once and again only when its state changes or an
 * event says it (re)started. Refreshes run one at a time; requests that arrive meanwhile (a burst
 * of Docker events) fold into one more refresh after a short pause, and one more once the events
 * have been quiet for `settleMs`: Docker announces `die` before its list shows the container
 * exited, so a refresh right after the event can still read "running".
 */
export class Inventory {
  private readonly startedAt = new Map<string, { state: string; startedAt?: string }>();
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
    if (changedId) this.startedAt.delete(changedId);
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
    for (const id of this.startedAt.keys()) if (!seen.has(id)) this.startedAt.delete(id);
    const containers: ContainerObject[] = [];
    for (const info of list) containers.push({ ...toContainer(info), startedAt: await this.started(info) });
    await this.delivery.enqueue('containers', containers);
    this.log.debug(`Inventory: ${containers.length} container(s)`);
    this.onSnapshot(list);
  }

  private async started(info: Docker.ContainerInfo): Promise<string | undefined> {
    const known = this.startedAt.get(info.Id);
    if (known && known.state === info.State) return known.startedAt;
    const details = await this.docker.getContainer(info.Id).inspect().catch(() => undefined);
    const raw = details?.State?.StartedAt;
    const startedAt = raw && !NEVER.test(raw) ? raw : undefined;
    if (details) this.startedAt.set(info.Id, { state: info.State, startedAt });
    return startedAt;
  }
}

export function toContainer(info: Docker.ContainerInfo): Omit<ContainerObject, 'startedAt'> {
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
