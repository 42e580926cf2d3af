import type { ResumePoint } from './log-cursors.js';
import { epochNanos, type EngineLogLine } from './log-demux.js';

/** Timestamps remembered per stream: lines of one timestamp arrive together, so a few suffice. */
const REMEMBERED = 64;

/**
 * Gives each line of one read of a container's log its ordinal `n` among the lines of its stream
 * with the same timestamp (0 first), and drops the lines an earlier read already spooled (the read
 * starts at the resume point's timestamp, inclusive, so those come again in the same order).
 */
export class LogOrdinals {
  private readonly seen = { stdout: new Map<bigint, number>(), stderr: new Map<bigint, number>() };

  constructor(private readonly resume?: ResumePoint['streams']) {}

  /** The line with its ordinal, or undefined when it was spooled before. */
  number(line: EngineLogLine): EngineLogLine | undefined {
    const nanos = epochNanos(line.ts) ?? 0n;
    const seen = this.seen[line.stream];
    const n = seen.get(nanos) ?? 0;
    seen.set(nanos, n + 1);
    if (seen.size > REMEMBERED) seen.delete(seen.keys().next().value!);
    const done = this.resume?.[line.stream];
    if (done && (nanos < done.nanos || (nanos === done.nanos && n < done.count))) return undefined;
    return { ...line, n };
  }
}
