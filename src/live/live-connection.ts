import type { WebSocket } from 'ws';
import type { UserPrincipal } from '../common/principal.js';
import { CLOSE_SLOW_CONSUMER, type LiveServerFrame } from './live.protocol.js';

/** A dropped dashboard that reads nothing for this long is cut off: its close frame cannot get through. */
const SLOW_CONSUMER_GRACE_MS = 5_000;
const PROGRESS_CHECK_MS = 250;
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

  /** Sends already serialized text, or drops the connection when it would hold more than its share unsent. */
  deliver(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const unsent = this.socket.bufferedAmount;
    if (unsent > 0 && unsent + text.length > this.maxBufferedBytes) {
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

  /**
   * Nothing more is queued, and the close frame goes out behind what is already unsent, so the
   * dashboard learns why once it reads that far. Terminating destroys the unsent bytes with the
   * close frame (the peer then sees 1006), so it waits while the peer drains and only cuts off a
   * peer that has read nothing for SLOW_CONSUMER_GRACE_MS. ws itself ends any close handshake
   * after 30 s, which bounds how long the bounded buffer is kept.
   */
  private dropSlowConsumer(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.socket.close(CLOSE_SLOW_CONSUMER, 'slow consumer');
    let unsent = this.socket.bufferedAmount;
    let lastProgress = Date.now();
    // A grace timer of this one socket, ended with it: not an application schedule, so not in the SchedulerRegistry.
    const watch = setInterval(() => {
      if (this.socket.readyState === this.socket.CLOSED) return clearInterval(watch);
      const now = Date.now();
      if (this.socket.bufferedAmount < unsent) lastProgress = now;
      unsent = this.socket.bufferedAmount;
      if (now - lastProgress < SLOW_CONSUMER_GRACE_MS) return;
      clearInterval(watch);
      this.socket.terminate();
    }, PROGRESS_CHECK_MS);
    watch.unref();
  }
}
