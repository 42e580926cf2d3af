import type { ContainerMetricName, HostMetricName } from '../alert-rule.js';
import type { SeriesState } from './series-state.js';

/** A metrics row as committed (ISO `ts`, numbers) or as read back (Date, bigint strings). */
export type SampleRow = Record<string, unknown> & { ts: string | Date };

export const sampleTime = (ts: string | Date) => (typeof ts === 'string' ? Date.parse(ts) : ts.getTime());
const num = (value: unknown) => Number(value);
const percent = (part: unknown, whole: unknown) => (num(whole) > 0 ? (num(part) / num(whole)) * 100 : Number.NaN);

/** The values a container rule can watch, for one sample (rates against the previous sample). */
export function containerValues(series: SeriesState, ts: number, row: SampleRow): Record<ContainerMetricName, number> {
  const rates = series.rates(ts, {
    networkRx: num(row.network_rx),
    networkTx: num(row.network_tx),
    blockRead: num(row.block_read),
    blockWrite: num(row.block_write),
  });
  return {
    cpuPercent: num(row.cpu_percent),
    memoryUsed: num(row.memory_used),
    memoryPercent: percent(row.memory_used, row.memory_limit),
    networkRxRate: rates.networkRx,
    networkTxRate: rates.networkTx,
    blockReadRate: rates.blockRead!,
    blockWriteRate: rates.blockWrite!,
  };
}

export function hostValues(series: SeriesState, ts: number, row: SampleRow): Record<HostMetricName, number> {
  const rates = series.rates(ts, { networkRx: num(row.network_rx), networkTx: num(row.network_tx) });
  return {
    cpuPercent: num(row.cpu_percent),
    memoryPercent: percent(row.memory_used, row.memory_total),
    diskPercent: percent(row.disk_used, row.disk_total),
    load1: num(row.load1),
    load5: num(row.load5),
    load15: num(row.load15),
    networkRxRate: rates.networkRx,
    networkTxRate: rates.networkTx,
  };
}
