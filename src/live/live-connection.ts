import type { WebSocket } from 'ws';
import type { UserPrincipal } from '../common/principal.js';
import { CLOSE_SLOW_CONSUMER, type LiveServerFrame } from './live.protocol.js';

const TERMINATE_AFTER_MS = 1_000;
const MAX_CACHED_RESOURCES = 2_000;

/**
 * One dashboard socket: who it is, what it listens to, and a bounded send. Sending never waits:
 * once the socket holds more than `maxBufferedBytes` unsent, the dashboard is dropped as a slow
 * consumer instead of the server buffering for it.
 */
export class LiveConnection {
  /** Subscribed topics: dashboard topic → bus topic. */
  readonly topics = new Map<string, string>();
  /** Hosts and containers already checked against the organization (`host:<id>` → allowed). */
  readonly authorized = new Map<string, boolean>();
  alive = true;
  /** Set once the socket closed: a subscribe still being authorized must not join the hub then. */
  closed = false;
  /** Client frames received and not yet answered (they are answered in order). */
  pending = 0;
  private queue: Promise<void> = Promise.resolve();
  private dropped = false;

  constructor(
    readonly socket: WebSocket,
    readonly principal: UserPrincipal,
    private readonly maxBufferedBytes: number,
  ) {}

  get organizationId(): string {
    return this.principal.organizationId;
  }

  /** Sends already serialized text, or drops the connection when it is not keeping up. */
  deliver(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.dropSlowConsumer();
      return;
    }
    this.socket.send(text);
  }

  send(frame: LiveServerFrame): void {
    this.deliver(JSON.stringify(frame));
  }

  /**
   * Runs `work` after the frames received before it, so a subscribe and unsubscribe never swap.
   * `work` answers its own failures; a rejection here would only stall the queue.
   */
  enqueue(work: () => Promise<void>): void {
    this.pending++;
    this.queue = this.queue
      .then(work)
      .catch(() => undefined)
      .finally(() => this.pending--);
  }

  remember(resource: string, allowed: boolean): void {
    if (this.authorized.size >= MAX_CACHED_RESOURCES) this.authorized.clear();
    this.authorized.set(resource, allowed);
  }

  private dropSlowConsumer(): void {
    if (this.dropped) return;
    this.dropped = true;
    // The close frame queues behind everything unsent, so it may never get out: terminate then.
    this.socket.close(CLOSE_SLOW_CONSUMER, 'slow consumer');
    setTimeout(() => this.socket.terminate(), TERMINATE_AFTER_MS).unref();
  }
}
