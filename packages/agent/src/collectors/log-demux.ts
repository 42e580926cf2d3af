import type { LogLine } from '@dockpulse/protocol';
import { StringDecoder } from 'node:string_decoder';

export type StreamName = 'stdout' | 'stderr';

/** A line as the engine stamps it: RFC 3339 text with up to nanoseconds, never epoch milliseconds. */
export type EngineLogLine = LogLine & { ts: string };

/** The server keeps 16 KiB of a line and flags it truncated; sending more only costs bandwidth. */
const MAX_LINE_CHARS = 32 * 1024;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) ?/;

/**
 * Splits a Docker log stream into lines. Without a TTY the Engine multiplexes stdout and stderr:
 * frames of an 8-byte header (stream byte, three zero bytes, payload size as uint32 big-endian) and
 * the payload. A TTY container's stream is raw stdout. Frames need not align with lines, nor
 * chunks with frames, nor UTF-8 characters with either: each stream keeps its own partial line
 * and decoder.
 */
export class LogDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly partial: Record<StreamName, string> = { stdout: '', stderr: '' };
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(
    private readonly raw: boolean,
    private readonly onLine: (stream: StreamName, text: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.raw) return this.text('stdout', chunk);
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.buffer.length >= 8) {
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) break;
      const stream: StreamName = this.buffer[0] === 2 ? 'stderr' : 'stdout';
      this.text(stream, this.buffer.subarray(8, 8 + size));
      this.buffer = this.buffer.subarray(8 + size);
    }
  }

  /** The stream ended: whatever is left is a last line without its newline. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + this.decoders[stream].end();
      this.partial[stream] = '';
      if (rest) this.onLine(stream, rest);
    }
  }

  private text(stream: StreamName, bytes: Buffer): void {
    const lines = (this.partial[stream] + this.decoders[stream].write(bytes)).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.onLine(stream, line);
    if (this.partial[stream].length > MAX_LINE_CHARS) {
      this.onLine(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }
}

/** `2024-05-01T10:00:00.123456789Z text` → ts kept verbatim (nanoseconds and all) and the text. */
export function parseLogLine(containerId: string, stream: StreamName, text: string): EngineLogLine {
  const match = TIMESTAMP.exec(text);
  const line = (match ? text.slice(match[0].length) : text).replace(/\r$/, '');
  return {
    containerId,
    ts: match ? match[1] : new Date().toISOString(),
    stream,
    line: line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line,
  };
}

/** Nanoseconds since the epoch of an RFC 3339 timestamp (Docker's log `ts`). */
export function epochNanos(ts: string): bigint | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  const seconds = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
  if (!match || Number.isNaN(seconds)) return undefined;
  return BigInt(seconds / 1000) * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** The Engine's `since` parameter (`seconds.nanoseconds`) for a point in nanoseconds. */
export function sinceParam(nanos: bigint): string {
  return `${nanos / 1_000_000_000n}.${(nanos % 1_000_000_000n).toString().padStart(9, '0')}`;
}
