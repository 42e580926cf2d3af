import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Calls `each` for every item, yielding to the event loop after every `size` of them. A write to a
 * socket is a system call (0.05–0.1 ms here): a heartbeat pinging 6,000 sockets in one turn would
 * hold acks and live frames for half a second. Iterating a Map this way sees entries added during
 * the pass and skips those deleted, as a Map's iterator does.
 */
export async function inSlices<T>(items: Iterable<T>, size: number, each: (item: T) => void): Promise<void> {
  let count = 0;
  for (const item of items) {
    each(item);
    if (++count % size === 0) await nextTurn();
  }
}
