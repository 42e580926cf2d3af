/**
 * Counters (network and block bytes) are cumulative, so what a sample adds is its difference from
 * the previous sample of the same series. A drop means the counter was reset (container restart):
 * the new value then counts from zero, as Prometheus' increase() does, so a delta is never
 * negative. The first sample of a series has no predecessor and adds nothing.
 *
 * These expressions expect `<column>_prev` beside `<column>`, as `lagColumns` produces.
 */
export const counterDelta = (column: string) =>
  `CASE WHEN ${column}_prev IS NULL THEN 0 WHEN ${column} >= ${column}_prev THEN ${column} - ${column}_prev ELSE ${column} END`;

export const lagColumns = (counters: readonly string[], window = 'w') =>
  counters.map((column) => `lag(${column}) OVER ${window} AS ${column}_prev`).join(', ');

/** Buckets are aligned to multiples of their width since the Unix epoch, whatever the session time zone. */
export const bucketStart = (width: string, ts = 'ts') => `date_bin(${width}, ${ts}, TIMESTAMPTZ 'epoch')`;

export const MINUTE_MS = 60_000;
