import type { OutboundFrame } from './frame-kinds.js';

/**
 * Splits a frame whose `data` has more items than the server takes (welcome `limits.maxItems`)
 * into several frames of the same type. A `containers` snapshot must stay whole (a partial one
 * would mark the rest removed), so callers pass Infinity for it.
 */
export function chunkFrame(frame: OutboundFrame, maxItems: number): OutboundFrame[] {
  const data = frame.data;
  if (!Array.isArray(data) || data.length <= maxItems) return [frame];
  const parts: OutboundFrame[] = [];
  for (let i = 0; i < data.length; i += maxItems) parts.push({ ...frame, data: data.slice(i, i + maxItems) });
  return parts;
}
