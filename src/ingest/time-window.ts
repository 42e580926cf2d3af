import type { Timestamp } from '../common/timestamp.js';
import { FrameRejectedError } from './frame-handler.js';
import { MAX_FUTURE_MS } from './protocol.js';

/**
 * Splits a frame's items by age: those older than the kind's retention are dropped (acked and
 * counted as expired, per CONTRACT.md); any stamped more than 10 minutes ahead rejects the whole
 * frame, naming each offending item.
 */
export function keepWithinRetention<T>(
  items: T[],
  tsOf: (item: T) => Timestamp,
  retentionMs: number,
  pathOf = (index: number) => `data[${index}].ts`,
  now = Date.now(),
): { fresh: T[]; expired: number } {
  const oldest = now - retentionMs;
  const newest = now + MAX_FUTURE_MS;
  const fresh: T[] = [];
  const future: number[] = [];
  items.forEach((item, index) => {
    const { ms } = tsOf(item);
    if (ms > newest) future.push(index);
    else if (ms >= oldest) fresh.push(item);
  });
  if (future.length) {
    throw new FrameRejectedError(
      `${future.length} item(s) are stamped more than 10 minutes in the future`,
      future.slice(0, 20).map((index) => ({ path: pathOf(index), message: `${pathOf(index)} is more than 10 minutes in the future` })),
    );
  }
  return { fresh, expired: items.length - fresh.length };
}
