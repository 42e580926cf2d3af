import type { Limits } from '@dockpulse/protocol';

/** Room kept for `{"type":…,"seq":…,"data":[]}` and rounding, beyond the frame's own extra fields. */
const ENVELOPE_BYTES = 128;

export interface Batches<T> {
  batches: T[][];
  /** Items that alone exceed the payload limit: no split can send them. */
  oversized: T[];
}

/**
 * Cuts `items` into batches that respect the server's limits: at most `maxItems` each and, with
 * the frame's other fields (`extraBytes`), at most `maxPayloadBytes` of JSON; a bigger frame would
 * make the server close the socket (1009).
 */
export function splitItems<T>(items: T[], limits: Limits, extraBytes = 0): Batches<T> {
  const budget = limits.maxPayloadBytes - ENVELOPE_BYTES - extraBytes;
  const result: Batches<T> = { batches: [], oversized: [] };
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (size > budget) {
      result.oversized.push(item);
      continue;
    }
    if (current.length >= limits.maxItems || bytes + size > budget) {
      result.batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) result.batches.push(current);
  return result;
}
