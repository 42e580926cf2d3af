import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from './log.js';

export interface SpoolEntry {
  seq: number;
  type: string;
  bytes: number;
}

const NAME = /^(\d{12})-([a-z_]+)\.json$/;

/**
 * Frames not yet acknowledged, one file per frame named by seq (`000000000042-metrics.json`), so
 * they survive a lost connection and an agent restart. Bounded by frame count and bytes: when full
 * the oldest frame is dropped, with a warning. Files are renamed into place (a crash never leaves a
 * half frame under a real name) but not fsynced: this guards against process death, not power loss.
 */
export class Spool {
  /** In seq order: appends always carry a higher seq than anything loaded or appended before. */
  private readonly entries = new Map<number, SpoolEntry>();
  private totalBytes = 0;
  private lastSeq = 0;
  private dropped = 0;

  constructor(
    readonly dir: string,
    private readonly maxFrames: number,
    private readonly maxBytes: number,
    private readonly log: Log,
  ) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const found: SpoolEntry[] = [];
    for (const name of await readdir(this.dir)) {
      const match = NAME.exec(name);
      if (!match) {
        if (name.endsWith('.tmp')) await unlink(join(this.dir, name)).catch(() => undefined);
        continue;
      }
      const { size } = await stat(join(this.dir, name));
      found.push({ seq: Number(match[1]), type: match[2], bytes: size });
    }
    found.sort((a, b) => a.seq - b.seq);
    for (const entry of found) this.index(entry);
    if (found.length) this.log.info(`Spool holds ${found.length} unacknowledged frame(s) from before; they are sent first`);
  }

  /** A seq for a frame that is not spooled (hello), unique among the spooled ones. */
  nextSeq(): number {
    return ++this.lastSeq;
  }

  /** Writes the frame `{type, seq, ...body}` to disk and returns its seq. */
  async append(type: string, body: Record<string, unknown>): Promise<number> {
    const seq = this.nextSeq();
    const text = JSON.stringify({ type, seq, ...body });
    const bytes = Buffer.byteLength(text);
    await this.makeRoom(bytes);
    const path = this.path(seq, type);
    await writeFile(`${path}.tmp`, text, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
    this.index({ seq, type, bytes });
    return seq;
  }

  /** The frame's text, or undefined when it is gone or unreadable (then it is forgotten). */
  async read(seq: number): Promise<string | undefined> {
    const entry = this.entries.get(seq);
    if (!entry) return undefined;
    try {
      const text = await readFile(this.path(seq, entry.type), 'utf8');
      JSON.parse(text); // a torn file from a crash is dropped here rather than refused by the server
      return text;
    } catch (error) {
      this.log.warn(`Spooled frame ${seq} (${entry.type}) is unreadable (${(error as Error).message}); dropping it`);
      await this.remove(seq);
      return undefined;
    }
  }

  async remove(seq: number): Promise<void> {
    const entry = this.entries.get(seq);
    if (!entry) return;
    this.entries.delete(seq);
    this.totalBytes -= entry.bytes;
    await unlink(this.path(seq, entry.type)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') this.log.warn(`Could not delete spooled frame ${seq}: ${error.message}`);
    });
  }

  /** Live iterator in seq order; entries removed meanwhile are skipped, appended ones visited. */
  list(): IterableIterator<SpoolEntry> {
    return this.entries.values();
  }

  get(seq: number): SpoolEntry | undefined {
    return this.entries.get(seq);
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  private index(entry: SpoolEntry): void {
    this.entries.set(entry.seq, entry);
    this.totalBytes += entry.bytes;
    this.lastSeq = Math.max(this.lastSeq, entry.seq);
  }

  private async makeRoom(bytes: number): Promise<void> {
    while (this.entries.size > 0 && (this.entries.size >= this.maxFrames || this.totalBytes + bytes > this.maxBytes)) {
      const oldest = this.entries.values().next().value as SpoolEntry;
      await this.remove(oldest.seq);
      // One line per thousand drops: a long outage must not turn the log into a flood.
      if (this.dropped++ % 1000 === 0) {
        this.log.warn(`Spool full (${this.maxFrames} frames / ${Math.round(this.maxBytes / 1048576)} MiB): dropped the oldest frame ${oldest.seq} (${oldest.type}); ${this.dropped} dropped so far`);
      }
    }
  }

  private path(seq: number, type: string): string {
    return join(this.dir, `${String(seq).padStart(12, '0')}-${type}.json`);
  }
}
