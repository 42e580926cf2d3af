import type { StateDir } from '../state.js';
import { epochNanos, type EngineLogLine, type StreamName } from './log-demux.js';

const FILE = 'log-cursors.json';
/** Written by agents before ordinals: a bare timestamp, every line up to it spooled. */
const ALL_OF_IT = Number.MAX_SAFE_INTEGER;

/** Per stream: the newest timestamp spooled, and how many lines of that timestamp were. */
type Cursor = Partial<Record<StreamName, [ts: string, count: number]>>;

/**
 * Where to read a container's log again: from `since`, the newest timestamp spooled (inclusive),
 * skipping what each stream already spooled there. A stream's lines older than that came before it
 * in the log, so they were spooled too.
 */
export interface ResumePoint {
  since: bigint;
  streams: Partial<Record<StreamName, { nanos: bigint; count: number }>>;
}

/**
 * Per container and stream, the last log timestamp spooled and the count of lines of that
 * timestamp, kept in the state directory so a restarted agent (or a reattached stream) reads each
 * log from where it stopped. Engines that stamp logs to the second (Podman) give many lines one
 * timestamp: reading again from that timestamp and skipping the counted lines keeps every line
 * once, with the same ordinal `n` as before.
 */
export class LogCursors {
  private cursors: Record<string, Cursor> = {};
  private dirty = false;

  constructor(private readonly state: StateDir) {}

  async load(): Promise<void> {
    const stored = (await this.state.readJson<Record<string, Cursor | string>>(FILE).catch(() => undefined)) ?? {};
    this.cursors = Object.fromEntries(
      Object.entries(stored).map(([id, cursor]) => [id, typeof cursor === 'string' ? { stdout: [cursor, ALL_OF_IT], stderr: [cursor, ALL_OF_IT] } : cursor]),
    );
  }

  resumePoint(containerId: string): ResumePoint | undefined {
    const streams: ResumePoint['streams'] = {};
    let since: bigint | undefined;
    for (const [stream, [ts, count]] of Object.entries(this.cursors[containerId] ?? {}) as [StreamName, [string, number]][]) {
      const nanos = epochNanos(ts);
      if (nanos === undefined) continue;
      streams[stream] = { nanos, count };
      if (since === undefined || nanos > since) since = nanos;
    }
    return since === undefined ? undefined : { since, streams };
  }

  advance(line: EngineLogLine): void {
    const nanos = epochNanos(line.ts);
    if (nanos === undefined) return;
    const cursor = (this.cursors[line.containerId] ??= {});
    const current = cursor[line.stream];
    const currentNanos = current ? epochNanos(current[0]) : undefined;
    const count = (line.n ?? 0) + 1;
    if (currentNanos === undefined || nanos > currentNanos) cursor[line.stream] = [line.ts, count];
    else if (nanos === currentNanos && count > current![1]) current![1] = count;
    else return;
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
