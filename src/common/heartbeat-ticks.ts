import { performance } from 'node:perf_hooks';

/** Pings sent per turn of the event loop (inSlices): a few milliseconds of writes, then acks and frames get their turn. */
export const PINGS_PER_TURN = 200;

/** A tick later than this share of the interval means the server, not its peers, stalled. */
const LATE_FACTOR = 1.5;

/**
 * Tells a heartbeat whether its peers had a fair chance to answer the last ping. When the event
 * loop stalls past a tick (a long garbage collection, a synchronous migration of the embedded
 * database), Node runs due timers before it reads sockets: every pong that arrived during the stall
 * is still unread, and dropping those peers would cut the whole fleet for the server's own pause.
 */
export class HeartbeatTicks {
  private last = performance.now();

  constructor(private readonly everyMs: number) {}

  /** Call once per tick: false when this tick came late, so a missing pong proves nothing yet. */
  peersHadTheirChance(now = performance.now()): boolean {
    const fair = now - this.last <= this.everyMs * LATE_FACTOR;
    this.last = now;
    return fair;
  }
}
