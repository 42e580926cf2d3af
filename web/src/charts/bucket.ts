// Which `bucket` to ask the metrics API for, so a range fills a chart without drowning it.

/** Widths the API accepts (any duration between 1s and 1d); whole minutes come from rollups. */
const BUCKETS: [string, number][] = [
  ['10s', 10_000],
  ['30s', 30_000],
  ['1m', 60_000],
  ['5m', 300_000],
  ['15m', 900_000],
  ['1h', 3_600_000],
  ['6h', 21_600_000],
  ['1d', 86_400_000],
];

/** Agents sample about every 10 s; a range needing finer points than that reads raw samples. */
export const RAW_STEP_MS = 10_000;

export interface BucketChoice {
  bucket?: string;
  stepMs: number;
}

/** About one point every two pixels; raw samples when the range is short enough. */
export function pickBucket(fromMs: number, toMs: number, widthPx: number): BucketChoice {
  const points = Math.max(60, Math.floor(widthPx / 2));
  const wanted = (toMs - fromMs) / points;
  if (wanted <= RAW_STEP_MS && (toMs - fromMs) / RAW_STEP_MS <= 5000) return { stepMs: RAW_STEP_MS };
  const found = BUCKETS.find(([, ms]) => ms >= wanted) ?? BUCKETS[BUCKETS.length - 1];
  return { bucket: found[0], stepMs: found[1] };
}
