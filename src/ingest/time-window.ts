import { parseTimestamp, type Timestamp } from '../common/timestamp.js';
import { FrameRejectedError } from './frame-handler.js';
import { MAX_FUTURE_MS } from './protocol.js';

/**
 * Sorts a frame's items by age: those older than the kind's retention are dropped (acked and
 * counted as expired, per CONTRACT.md); any stamped more than 10 minutes ahead rejects the whole
 * frame, naming each offending item. Returns which items to keep (null: all of them).
 */
export function keepWithinRetention(
  stamps: Timestamp[],
  retentionMs: number,
  pathOf = (index: number) => `data[${index}].ts`,
  now = Date.now(),
): { keep: boolean[] | null; expired: number } {
  const oldest = now - retentionMs;
  const newest = now + MAX_FUTURE_MS;
  let keep: boolean[] | null = null;
  let expired = 0;
  const future: number[] = [];
  stamps.forEach(({ ms }, index) => {
    if (ms > newest) future.push(index);
    else if (ms < oldest) {
      keep ??= stamps.map(() => true);
      keep[index] = false;
      expired++;
    }
  });
  if (future.length) {
    throw new FrameRejectedError(
      `${future.length} item(s) are stamped more than 10 minutes in the future`,
      future.slice(0, 20).map((index) => ({ path: pathOf(index), message: `${pathOf(index)} is more than 10 minutes in the future` })),
    );
  }
  return { keep, expired };
}

/** The items of a validated frame still inside the retention, with their parsed timestamps. */
export function freshItems<T extends { ts: string | number }>(items: T[], retentionMs: number): { items: T[]; stamps: Timestamp[]; expired: number } {
  const stamps = items.map((item) => parseTimestamp(item.ts)!);
  const { keep, expired } = keepWithinRetention(stamps, retentionMs);
  if (!keep) return { items, stamps, expired };
  return { items: items.filter((_, i) => keep[i]), stamps: stamps.filter((_, i) => keep[i]), expired };
}
