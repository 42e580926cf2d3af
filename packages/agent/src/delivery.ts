import { DEFAULT_LIMITS, PERMANENT_CODES, RETRYABLE_CODES, type AgentFrameType, type ErrorFrame, type FrameAnswer, type Limits } from '@dockpulse/protocol';
import { sleep } from './backoff.js';
import { splitItems } from './frames.js';
import type { Log } from './log.js';
import type { Spool, SpoolEntry } from './spool.js';

/** Every frame but `hello`, which the connection sends itself on each socket. */
export type DataFrameType = Exclude<AgentFrameType, 'hello'>;

export interface Transport {
  send(text: string): void;
}

/** Inventory snapshots mark what they lack as removed, so two must never commit out of order. */
const SERIAL_TYPES = new Set(['containers']);
/** `internal` (or a code this agent does not know): maybe transient, but not worth looping on. */
const UNKNOWN_ERROR_RETRY_MS = 5_000;
const UNKNOWN_ERROR_ATTEMPTS = 3;

/**
 * At-least-once delivery: every data frame is spooled before it is sent, at most `window` frames
 * are unanswered at a time, lowest seq first (so what was left over from an earlier connection or
 * run goes before anything new), and a frame leaves the spool only on its ack or on a refusal that
 * resending cannot fix. The server stores replays once, so a resent frame costs nothing but bytes.
 */
export class Delivery {
  private transport?: Transport;
  private limits: Limits = DEFAULT_LIMITS;
  private readonly inFlight = new Map<number, string>();
  private readonly notBefore = new Map<number, number>();
  private readonly failures = new Map<number, number>();
  /** Frame types this server refused as `unknown_type` (an older server): said once, not per frame. */
  private readonly unsupported = new Set<string>();
  private pumping = false;
  private again = false;
  private closing = false;
  private wake?: NodeJS.Timeout;

  constructor(
    private readonly spool: Spool,
    private readonly window: number,
    private readonly log: Log,
  ) {}

  /** Spools `items` as frames of `type` within the server's limits, then sends what the window allows. */
  async enqueue(type: DataFrameType, items: unknown[], extra: Record<string, unknown> = {}): Promise<void> {
    const extraBytes = Buffer.byteLength(JSON.stringify(extra));
    if (type === 'containers') {
      await this.enqueueSnapshot(items);
    } else {
      const { batches, oversized } = splitItems(items, this.limits, extraBytes);
      if (oversized.length) this.log.error(`Dropped ${oversized.length} ${type} item(s), each larger than the server's ${this.limits.maxPayloadBytes}-byte frame limit`);
      for (const data of batches) await this.spool.append(type, { ...extra, data });
    }
    this.pump();
  }

  /** Spools a frame without a `data` list (command_result). */
  async enqueueOne(type: DataFrameType, body: Record<string, unknown>): Promise<void> {
    await this.spool.append(type, body);
    this.pump();
  }

  attach(transport: Transport, limits: Limits): void {
    this.transport = transport;
    this.limits = limits;
    this.inFlight.clear();
    this.pump();
  }

  /** The socket is gone: whatever was in flight stays spooled and is resent on the next one. */
  detach(): void {
    this.transport = undefined;
    this.inFlight.clear();
  }

  handleAnswer(answer: FrameAnswer): void {
    if (answer.type === 'error' && answer.seq === null) {
      this.log.error(`Server could not read a frame: ${answer.code}: ${answer.message}`);
      return;
    }
    const seq = answer.seq as number;
    const type = this.inFlight.get(seq) ?? this.spool.get(seq)?.type ?? 'unknown';
    this.inFlight.delete(seq);
    if (answer.type === 'ack') this.forget(seq);
    else this.refused(seq, type, answer);
    this.pump();
  }

  /**
   * Shutdown: for up to `timeoutMs`, keeps sending what is spooled and collecting answers, so a
   * clean stop leaves as little as possible behind; then stops sending.
   */
  async finish(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.pump();
    while (Date.now() < deadline && this.transport && (this.inFlight.size > 0 || this.hasSendable())) await sleep(20);
    this.closing = true;
    clearTimeout(this.wake);
  }

  private async enqueueSnapshot(items: unknown[]): Promise<void> {
    const bytes = Buffer.byteLength(JSON.stringify(items));
    if (items.length > this.limits.maxItems || bytes > this.limits.maxPayloadBytes - 128) {
      // A snapshot split in parts would mark each part's missing containers removed.
      this.log.error(`Container inventory of ${items.length} containers (${bytes} bytes) exceeds the server's frame limits; not sent`);
      return;
    }
    const seq = await this.spool.append('containers', { data: items });
    // Only the newest snapshot matters: older unsent ones would only be overwritten.
    for (const entry of this.spool.list()) {
      if (entry.type === 'containers' && entry.seq < seq && !this.inFlight.has(entry.seq)) void this.spool.remove(entry.seq);
    }
  }

  private refused(seq: number, type: string, error: ErrorFrame): void {
    const what = `Frame ${seq} (${type}) refused: ${error.code}: ${error.message}`;
    if (RETRYABLE_CODES.has(error.code)) {
      const wait = error.retryAfterMs ?? 1000;
      this.notBefore.set(seq, Date.now() + wait);
      this.log.warn(`${what}; resending in ${wait} ms`);
      return;
    }
    if (error.code === 'unknown_type') {
      if (!this.unsupported.has(type)) this.log.warn(`${what}: this server does not take ${type} frames (an older server?); they are dropped, and further refusals logged only with --verbose`);
      else this.log.debug(`${what}; dropped`);
      this.unsupported.add(type);
      this.forget(seq);
      return;
    }
    if (PERMANENT_CODES.has(error.code)) {
      const details = error.details?.length ? ` [${error.details.map((d) => `${d.path}: ${d.message}`).join('; ')}]` : '';
      this.log.error(`${what}${details}; dropped from the spool (resending cannot help)`);
      this.forget(seq);
      return;
    }
    const attempts = (this.failures.get(seq) ?? 0) + 1;
    if (attempts >= UNKNOWN_ERROR_ATTEMPTS) {
      this.log.error(`${what}; dropped after ${attempts} attempts`);
      this.forget(seq);
      return;
    }
    this.failures.set(seq, attempts);
    this.notBefore.set(seq, Date.now() + UNKNOWN_ERROR_RETRY_MS);
    this.log.warn(`${what}; resending in ${UNKNOWN_ERROR_RETRY_MS} ms`);
  }

  private forget(seq: number): void {
    this.notBefore.delete(seq);
    this.failures.delete(seq);
    // Spool.remove drops the index entry synchronously, so a pump right after cannot resend it.
    void this.spool.remove(seq);
  }

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.fill()
      .catch((error: Error) => this.log.error(`Sending spooled frames failed: ${error.message}`))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async fill(): Promise<void> {
    const transport = this.transport;
    let wakeAt = Infinity;
    for (const entry of this.spool.list()) {
      if (!transport || transport !== this.transport || this.closing || this.inFlight.size >= this.window) break;
      if (this.inFlight.has(entry.seq)) continue;
      const after = this.notBefore.get(entry.seq);
      if (after !== undefined && after > Date.now()) {
        wakeAt = Math.min(wakeAt, after);
        continue;
      }
      if (SERIAL_TYPES.has(entry.type) && [...this.inFlight.values()].includes(entry.type)) continue;
      const text = await this.spool.read(entry.seq);
      if (text === undefined || !this.spool.get(entry.seq) || transport !== this.transport || this.closing) continue;
      if (!(await this.fits(entry, text))) continue;
      this.inFlight.set(entry.seq, entry.type);
      transport.send(text);
    }
    clearTimeout(this.wake);
    if (wakeAt < Infinity && !this.closing) this.wake = setTimeout(() => this.pump(), Math.max(0, wakeAt - Date.now()));
  }

  /**
   * Frames spooled under larger limits than the current server's (an older run, another server)
   * are split again rather than sent: an oversized frame would close the socket.
   */
  private async fits(entry: SpoolEntry, text: string): Promise<boolean> {
    const frame = JSON.parse(text) as { type: DataFrameType; seq: number; data?: unknown[] } & Record<string, unknown>;
    const items = Array.isArray(frame.data) ? frame.data.length : 0;
    if (Buffer.byteLength(text) <= this.limits.maxPayloadBytes && items <= this.limits.maxItems) return true;
    const { type, seq: _seq, data, ...extra } = frame;
    if (Array.isArray(data) && data.length > 1 && type !== 'containers') {
      this.log.warn(`Spooled frame ${entry.seq} (${type}) exceeds the server's limits; splitting it`);
      await this.enqueue(type, data, extra);
    } else {
      this.log.error(`Spooled frame ${entry.seq} (${type}) exceeds the server's limits and cannot be split; dropped`);
    }
    this.forget(entry.seq);
    return false;
  }

  private hasSendable(): boolean {
    const now = Date.now();
    for (const entry of this.spool.list()) if (!this.inFlight.has(entry.seq) && (this.notBefore.get(entry.seq) ?? 0) <= now) return true;
    return false;
  }
}
