import { CONTAINER_METRICS, HOST_METRICS } from '../alert-rule.js';
import { EPOCH_MS } from '../../common/timestamp.js';
import { COUNTERS, type SeriesState } from './series-state.js';

/** A metrics row as committed (ISO `ts` and its EPOCH_MS, numbers) or as read back (Date, bigint strings). */
export type SampleRow = Record<string, unknown> & { ts: string | Date; [EPOCH_MS]?: number };

/** `YYYY-MM-DDTHH:MM:` of the last time parsed, as character codes, and its epoch milliseconds: samples come in runs of the same minute. */
const minutePrefix = new Int32Array(17).fill(-1);
let minuteMs = 0;
const digit = (text: string, at: number) => text.charCodeAt(at) - 48;

/** Whether `ts` begins with the minute last parsed; compared a character at a time, minutes first (startsWith costs a call into the runtime). */
function inLastMinute(ts: string): boolean {
  for (let at = 16; at >= 0; at--) if (ts.charCodeAt(at) !== minutePrefix[at]) return false;
  return true;
}

/**
 * Epoch milliseconds of a committed sample's time (`toISOString` form, `…:SS.mmmZ`) or of one
 * read back (a Date). Date.parse is the slowest step of evaluating a sample; within a minute
 * only the seconds and milliseconds are read.
 */
export function sampleTime(ts: string | Date): number {
  if (typeof ts !== 'string') return ts.getTime();
  if (ts.length !== 24 || ts.charCodeAt(23) !== 90 /* Z */) return Date.parse(ts);
  if (!inLastMinute(ts)) {
    for (let at = 0; at < 17; at++) minutePrefix[at] = ts.charCodeAt(at);
    minuteMs = Date.parse(`${ts.slice(0, 17)}00.000Z`);
  }
  return minuteMs + (digit(ts, 17) * 10 + digit(ts, 18)) * 1000 + digit(ts, 20) * 100 + digit(ts, 21) * 10 + digit(ts, 22);
}
/** A sample's epoch milliseconds: the number its handler kept beside `ts` when there is one. */
export function rowTime(row: SampleRow): number {
  const ms = row[EPOCH_MS];
  return ms === undefined ? sampleTime(row.ts) : ms;
}

const num = (value: unknown) => (typeof value === 'number' ? value : Number(value));
const percent = (part: unknown, whole: unknown) => (num(whole) > 0 ? (num(part) / num(whole)) * 100 : Number.NaN);

// Scratch space reused for every sample: the hot path allocates nothing.
const counters = new Float64Array(COUNTERS);
const rates = new Float64Array(COUNTERS);
const positions = <T extends string>(metrics: readonly T[]) => Object.fromEntries(metrics.map((name, i) => [name, i])) as Record<T, number>;
const C = positions(CONTAINER_METRICS);
const H = positions(HOST_METRICS);

/**
 * One series' samples of a frame as columns: their times, and the values of each metric (by its
 * position in CONTAINER_METRICS or HOST_METRICS). Windows take a column at a time (addMany).
 */
export class SampleColumns {
  times = new Float64Array(16);
  values = Array.from({ length: Math.max(CONTAINER_METRICS.length, HOST_METRICS.length) }, () => new Float64Array(16));

  /** Makes room for `n` samples. */
  reserve(n: number): void {
    if (n <= this.times.length) return;
    const length = 2 ** Math.ceil(Math.log2(n));
    this.times = new Float64Array(length);
    this.values = this.values.map(() => new Float64Array(length));
  }
}

/** The values a container rule can watch for one sample, into row `i` of `out` (rates against the previous sample). */
export function containerValues(series: SeriesState, ts: number, row: SampleRow, out: SampleColumns, i: number): void {
  out.times[i] = ts;
  const values = out.values;
  counters[0] = num(row.network_rx);
  counters[1] = num(row.network_tx);
  counters[2] = num(row.block_read);
  counters[3] = num(row.block_write);
  series.rates(ts, counters, rates);
  values[C.cpuPercent][i] = num(row.cpu_percent);
  values[C.memoryUsed][i] = num(row.memory_used);
  values[C.memoryPercent][i] = percent(row.memory_used, row.memory_limit);
  values[C.networkRxRate][i] = rates[0];
  values[C.networkTxRate][i] = rates[1];
  values[C.blockReadRate][i] = rates[2];
  values[C.blockWriteRate][i] = rates[3];
}

/** The values a host rule can watch, into row `i` of `out`. */
export function hostValues(series: SeriesState, ts: number, row: SampleRow, out: SampleColumns, i: number): void {
  out.times[i] = ts;
  const values = out.values;
  counters[0] = num(row.network_rx);
  counters[1] = num(row.network_tx);
  counters[2] = 0;
  counters[3] = 0;
  series.rates(ts, counters, rates);
  values[H.cpuPercent][i] = num(row.cpu_percent);
  values[H.memoryPercent][i] = percent(row.memory_used, row.memory_total);
  values[H.diskPercent][i] = percent(row.disk_used, row.disk_total);
  values[H.load1][i] = num(row.load1);
  values[H.load5][i] = num(row.load5);
  values[H.load15][i] = num(row.load15);
  values[H.networkRxRate][i] = rates[0];
  values[H.networkTxRate][i] = rates[1];
}
