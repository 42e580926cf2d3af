import type Docker from 'dockerode';
import { errorText, type Log } from '../log.js';
import type { LogBatcher } from './log-batcher.js';
import type { LogCursors } from './log-cursors.js';
import { epochNanos, LogDemuxer, parseLogLine, sinceParam } from './log-demux.js';
import { LogOrdinals } from './log-ordinals.js';

/**
 * One followed log stream per running container (`logs?follow&timestamps&since`). A stream ends
 * when its container stops; `sync` with the running list (every stats tick and inventory refresh)
 * starts the missing ones, so a container that comes back is followed again.
 */
export class LogFollowers {
  private readonly followers = new Map<string, AbortController>();
  private stopped = false;

  constructor(
    private readonly docker: Docker,
    private readonly batcher: LogBatcher,
    private readonly cursors: LogCursors,
    /** Lines older than this are never fetched for a container without a cursor: enrollment time. */
    private readonly notBefore: bigint,
    private readonly log: Log,
  ) {}

  sync(runningIds: string[]): void {
    if (this.stopped) return; // a stats tick or refresh finishing during shutdown
    for (const id of runningIds) if (!this.followers.has(id)) this.follow(id);
  }

  stop(): void {
    this.stopped = true;
    for (const controller of this.followers.values()) controller.abort();
    this.followers.clear();
  }

  private follow(id: string): void {
    const controller = new AbortController();
    this.followers.set(id, controller);
    const done = (error?: unknown) => {
      if (this.followers.get(id) === controller) this.followers.delete(id);
      if (error && !controller.signal.aborted) this.log.debug(`Log stream of ${id.slice(0, 12)} ended: ${errorText(error)}`);
    };
    this.open(id, controller.signal).then((stream) => {
      if (!stream) return done();
      stream.once('end', () => done());
      stream.once('close', () => done());
      stream.once('error', done);
    }, done);
  }

  private async open(id: string, signal: AbortSignal): Promise<NodeJS.ReadableStream | undefined> {
    const container = this.docker.getContainer(id);
    const details = await container.inspect();
    // Lines an earlier stream of this container read are spooled first, so its cursor covers them.
    await this.batcher.flush();
    if (signal.aborted) return undefined;
    // A container never seen before is read from its creation (its first lines can be stamped
    // before its StartedAt), but not from before this host was enrolled. Otherwise the read resumes
    // at the last spooled timestamp: `since` is inclusive, and the lines of that timestamp already
    // spooled are skipped.
    const created = epochNanos(details.Created) ?? epochNanos(details.State.StartedAt) ?? 0n;
    const resume = this.cursors.resumePoint(id);
    const since = resume ? resume.since : created > this.notBefore ? created : this.notBefore;
    const stream = await container.logs({ follow: true, stdout: true, stderr: true, timestamps: true, since: sinceParam(since), abortSignal: signal });
    const ordinals = new LogOrdinals(resume?.streams);
    const demuxer = new LogDemuxer(details.Config.Tty, (name, text) => {
      const line = ordinals.number(parseLogLine(id, name, text));
      if (line) this.batcher.add(line);
    });
    stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
    stream.once('end', () => demuxer.end());
    this.log.debug(`Following logs of ${id.slice(0, 12)} since ${sinceParam(since)}`);
    return stream;
  }
}
