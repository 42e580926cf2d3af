import { RETRYABLE_CODES, type AckFrame, type ErrorFrame } from '@dockpulse/protocol';
import type { FleetStats } from './fleet-stats.js';
import type { OutboundFrame } from './frame-kinds.js';

/** Frames held while the socket is down or the window is full; past this the oldest go. */
const MAX_QUEUED = 5_000;
/** `internal` promises nothing was kept either, but says no when to resend: wait this long. */
const INTERNAL_RETRY_MS = 1_000;
const MAX_INTERNAL_RETRIES = 3;

export interface QueuedFrame {
  frame: OutboundFrame;
  /** Position in the host's stream: resends go out in their original order. */
  order: number;
  attempts: number;
}

export interface FrameWindowEvents {
  acked(entry: QueuedFrame): void;
  refused(entry: QueuedFrame, error: ErrorFrame): void;
}

/**
 * One host's outgoing frames: FIFO, at most `size` in flight, a fresh seq per transmission. An
 * answer that promises nothing was stored (`overloaded`, `rate_limited`, `unavailable`) puts the
 * frame back in order, pauses the whole host for `retryAfterMs` and halves the window (acks grow
 * it back): those limits are per host or per server, so sending on at full speed would only be
 * refused again.
 */
export class FrameWindow {
  /** Frames to resend (and a new connection's greeting), kept sorted by `order`; at most ~size. */
  private readonly again: QueuedFrame[] = [];
  private readonly queue: QueuedFrame[] = [];
  private readonly inFlight = new Map<number, { entry: QueuedFrame; sentAt: number }>();
  private nextSeq = 1;
  private nextOrder = 1;
  private firstOrder = 0;
  private pausedUntil = 0;
  private pauseTimer?: NodeJS.Timeout;
  private transmit?: (text: string) => void;
  private holding = false;
  /** Frames allowed in flight now: halved by each "resend later", grown back by each ack. */
  private limit: number;

  constructor(
    private readonly size: number,
    private readonly stats: FleetStats,
    private readonly events: FrameWindowEvents,
  ) {
    this.limit = size;
  }

  /** Frames not yet acknowledged or given up on. */
  get pending(): number {
    return this.again.length + this.queue.length + this.inFlight.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  push(frame: OutboundFrame): void {
    this.queue.push({ frame, order: this.nextOrder++, attempts: 0 });
    if (this.queue.length > MAX_QUEUED) {
      this.queue.shift();
      this.stats.dropped++;
    }
    this.pump();
  }

  /** Puts frames ahead of everything else, dropping queued ones `replacing` matches. */
  pushFirst(frames: OutboundFrame[], replacing: (frame: OutboundFrame) => boolean): void {
    for (const list of [this.again, this.queue]) {
      const kept = list.filter((entry) => !replacing(entry.frame));
      list.splice(0, list.length, ...kept);
    }
    const first = this.firstOrder - frames.length;
    this.firstOrder = first;
    this.again.unshift(...frames.map((frame, i) => ({ frame, order: first + i, attempts: 0 })));
    this.pump();
  }

  /** Starts sending through `transmit` (a connected socket). */
  attach(transmit: (text: string) => void): void {
    this.transmit = transmit;
    this.pump();
  }

  /** The socket is gone: its unanswered frames will go out again first, in order. */
  detach(): void {
    this.transmit = undefined;
    this.stats.unanswered += this.inFlight.size;
    for (const { entry } of this.inFlight.values()) this.requeue(entry);
    this.inFlight.clear();
  }

  /** Sends nothing more; answers to frames in flight are still taken (the fleet is stopping). */
  hold(): void {
    this.holding = true;
    clearTimeout(this.pauseTimer);
  }

  answer(frame: AckFrame | ErrorFrame): void {
    const flight = frame.seq === null ? undefined : this.inFlight.get(frame.seq);
    if (!flight) {
      this.stats.unexpectedAnswers++;
      return;
    }
    this.inFlight.delete(frame.seq as number);
    if (frame.type === 'ack') {
      this.limit = Math.min(this.size, this.limit + 1);
      this.stats.acked(flight.entry.frame.type, Date.now() - flight.sentAt);
      this.events.acked(flight.entry);
    } else {
      this.stats.failed(frame.code);
      this.retryOrRefuse(flight.entry, frame);
    }
    this.pump();
  }

  private retryOrRefuse(entry: QueuedFrame, error: ErrorFrame): void {
    const retryable = RETRYABLE_CODES.has(error.code) || (error.code === 'internal' && entry.attempts < MAX_INTERNAL_RETRIES);
    if (!retryable) {
      this.stats.dropped++;
      this.events.refused(entry, error);
      return;
    }
    this.requeue(entry);
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    // A little jitter, so a fleet told "in 300 ms" does not come back as one burst.
    const resumeAt = Date.now() + (error.retryAfterMs ?? INTERNAL_RETRY_MS) * (1 + Math.random() * 0.2);
    if (resumeAt > this.pausedUntil) {
      this.pausedUntil = resumeAt;
      clearTimeout(this.pauseTimer);
      this.pauseTimer = setTimeout(() => this.pump(), resumeAt - Date.now());
    }
  }

  private requeue(entry: QueuedFrame): void {
    const at = this.again.findIndex((other) => other.order > entry.order);
    this.again.splice(at === -1 ? this.again.length : at, 0, entry);
  }

  private pump(): void {
    if (!this.transmit || this.holding || Date.now() < this.pausedUntil) return;
    while (this.inFlight.size < this.limit && (this.again.length || this.queue.length)) {
      const entry = (this.again.length ? this.again.shift() : this.queue.shift()) as QueuedFrame;
      if (entry.attempts++ > 0) this.stats.resends++;
      const seq = this.nextSeq++;
      this.inFlight.set(seq, { entry, sentAt: Date.now() });
      this.stats.framesSent++;
      this.transmit(JSON.stringify({ ...entry.frame, seq }));
    }
  }
}
