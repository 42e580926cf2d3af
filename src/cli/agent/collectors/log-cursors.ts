import type { StateDir } from '../state.js';
import { epochNanos } from './log-demux.js';

const FILE = 'log-cursors.json';

/**
 * Per container, the newest log timestamp already spooled, kept in the state directory so a
 * restarted agent follows each container's log from where it stopped instead of from the start
 * (the server would store a replay once, but re-reading days of logs is waste).
 */
export class LogCursors {
  private cursors: Record<string, string> = {};
  private dirty = false;

  constructor(private readonly state: StateDir) {}

  async load(): Promise<void> {
    this.cursors = (await this.state.readJson<Record<string, string>>(FILE).catch(() => undefined)) ?? {};
  }

  /** Nanoseconds since the epoch of the last spooled line of this container. */
  get(containerId: string): bigint | undefined {
    const ts = this.cursors[containerId];
    return ts === undefined ? undefined : epochNanos(ts);
  }

  advance(containerId: string, ts: string): void {
    const next = epochNanos(ts);
    const current = this.get(containerId);
    if (next === undefined || (current !== undefined && next <= current)) return;
    this.cursors[containerId] = ts;
    this.dirty = true;
  }

  /** Forgets containers that no longer exist. */
  keepOnly(ids: Set<string>): void {
    for (const id of Object.keys(this.cursors)) {
      if (ids.has(id)) continue;
      delete this.cursors[id];
      this.dirty = true;
    }
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await this.state.writeJson(FILE, this.cursors);
  }
}
