import { CONTAINER_METRICS, HOST_METRICS } from '../alert-rule.js';
import { COUNTERS, type SeriesState } from './series-state.js';

/** A metrics row as committed (ISO `ts`, numbers) or as read back (Date, bigint strings). */
export type SampleRow = Record<string, unknown> & { ts: string | Date };

export const sampleTime = (ts: string | Date) => (typeof ts === 'string' ? Date.parse(ts) : ts.getTime());
const num = (value: unknown) => (typeof value === 'number' ? value : Number(value));
const percent = (part: unknown, whole: unknown) => (num(whole) > 0 ? (num(part) / num(whole)) * 100 : Number.NaN);

// Scratch space reused for every sample: the hot path allocates nothing.
const counters = new Float64Array(COUNTERS);
const rates = new Float64Array(COUNTERS);
const at = (metrics: readonly string[]) => (name: string) => metrics.indexOf(name);
const C = at(CONTAINER_METRICS);
const H = at(HOST_METRICS);

/** The values a container rule can watch for one sample, at their positions in CONTAINER_METRICS (rates against the previous sample). */
export function containerValues(series: SeriesState, ts: number, row: SampleRow, out: Float64Array): void {
  counters[0] = num(row.network_rx);
  counters[1] = num(row.network_tx);
  counters[2] = num(row.block_read);
  counters[3] = num(row.block_write);
  series.rates(ts, counters, rates);
  out[C('cpuPercent')] = num(row.cpu_percent);
  out[C('memoryUsed')] = num(row.memory_used);
  out[C('memoryPercent')] = percent(row.memory_used, row.memory_limit);
  out[C('networkRxRate')] = rates[0];
  out[C('networkTxRate')] = rates[1];
  out[C('blockReadRate')] = rates[2];
  out[C('blockWriteRate')] = rates[3];
}

/** The values a host rule can watch, at their positions in HOST_METRICS. */
export function hostValues(series: SeriesState, ts: number, row: SampleRow, out: Float64Array): void {
  counters[0] = num(row.network_rx);
  counters[1] = num(row.network_tx);
  counters[2] = 0;
  counters[3] = 0;
  series.rates(ts, counters, rates);
  out[H('cpuPercent')] = num(row.cpu_percent);
  out[H('memoryPercent')] = percent(row.memory_used, row.memory_total);
  out[H('diskPercent')] = percent(row.disk_used, row.disk_total);
  out[H('load1')] = num(row.load1);
  out[H('load5')] = num(row.load5);
  out[H('load15')] = num(row.load15);
  out[H('networkRxRate')] = rates[0];
  out[H('networkTxRate')] = rates[1];
}
