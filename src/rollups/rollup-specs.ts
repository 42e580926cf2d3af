import { counterDelta } from '../time-series/counters.js';
import { meanOf, weightedMeanOf } from '../time-series/means.js';
import type { RollupTier } from '../time-series/rollup-tier.js';

export type RollupKind = 'container' | 'host';
export const ROLLUP_KINDS: readonly RollupKind[] = ['container', 'host'];

/** How one raw table folds into its per-minute rollup table. */
export interface RollupSpec {
  raw: string;
  /** The per-minute table. */
  table: string;
  /** Each tier's table. */
  tables: Readonly<Record<RollupTier, string>>;
  /** The series a sample belongs to (counter deltas are taken along it); with ts the rollup's key. */
  key: string;
  /** The table listing every series by `id`. */
  inventory: string;
  /** Columns that depend on the key alone and are copied along. */
  carried: readonly string[];
  /** Raw columns the aggregates read. */
  columns: readonly string[];
  /** The cumulative ones among `columns`. */
  counters: readonly string[];
  /**
   * Rollup column → aggregate over one minute's samples: means (a sum of doubles can overflow,
   * their mean cannot), maxima, and counters summed as deltas into numeric (60,000 samples of a
   * minute rising by 2^53 each are past int8).
   */
  aggregates: Readonly<Record<string, string>>;
  /**
   * Rollup column → aggregate over a finer tier's rows (an hour's minutes, a day's hours): means
   * weighted by samples, maxima of maxima, sums of counter deltas (each minute's already includes
   * the delta from the previous minute's last sample, so the sum is exact), the last value last.
   */
  fold: Readonly<Record<string, string>>;
}

const tablesOf = (prefix: string) => ({ minute: `${prefix}_1m`, hour: `${prefix}_1h`, day: `${prefix}_1d` });
const weighted = (column: string) => weightedMeanOf(column, 'samples');

const sumOfDeltas = (column: string) => `sum(${counterDelta(column)})`;

export const ROLLUP_SPECS: Readonly<Record<RollupKind, RollupSpec>> = {
  container: {
    raw: 'container_metrics',
    table: 'container_metrics_1m',
    tables: tablesOf('container_metrics'),
    key: 'container_id',
    inventory: 'containers',
    carried: ['host_id'],
    columns: ['cpu_percent', 'memory_used', 'memory_limit', 'network_rx', 'network_tx', 'block_read', 'block_write', 'pids'],
    counters: ['network_rx', 'network_tx', 'block_read', 'block_write'],
    aggregates: {
      samples: 'count(*)::int4',
      cpu_avg: meanOf('cpu_percent'),
      cpu_max: 'max(cpu_percent)',
      memory_avg: meanOf('memory_used::float8'),
      memory_max: 'max(memory_used)',
      memory_limit: 'max(memory_limit)',
      network_rx: sumOfDeltas('network_rx'),
      network_tx: sumOfDeltas('network_tx'),
      block_read: sumOfDeltas('block_read'),
      block_write: sumOfDeltas('block_write'),
      pids_max: 'max(pids)',
    },
    fold: {
      samples: 'sum(samples)::int4',
      cpu_avg: weighted('cpu_avg'),
      cpu_max: 'max(cpu_max)',
      memory_avg: weighted('memory_avg'),
      memory_max: 'max(memory_max)',
      memory_limit: 'max(memory_limit)',
      network_rx: 'sum(network_rx)',
      network_tx: 'sum(network_tx)',
      block_read: 'sum(block_read)',
      block_write: 'sum(block_write)',
      pids_max: 'max(pids_max)',
    },
  },
  host: {
    raw: 'host_metrics',
    table: 'host_metrics_1m',
    tables: tablesOf('host_metrics'),
    key: 'host_id',
    inventory: 'hosts',
    carried: [],
    columns: ['cpu_percent', 'load1', 'load5', 'load15', 'memory_used', 'memory_total', 'disk_used', 'disk_total', 'network_rx', 'network_tx'],
    counters: ['network_rx', 'network_tx'],
    aggregates: {
      samples: 'count(*)::int4',
      cpu_avg: meanOf('cpu_percent'),
      cpu_max: 'max(cpu_percent)',
      load1_avg: meanOf('load1'),
      load5_avg: meanOf('load5'),
      load15_avg: meanOf('load15'),
      memory_avg: meanOf('memory_used::float8'),
      memory_max: 'max(memory_used)',
      memory_total: 'max(memory_total)',
      disk_used_last: '(array_agg(disk_used ORDER BY ts DESC))[1]',
      disk_used_max: 'max(disk_used)',
      disk_total: 'max(disk_total)',
      network_rx: sumOfDeltas('network_rx'),
      network_tx: sumOfDeltas('network_tx'),
    },
    fold: {
      samples: 'sum(samples)::int4',
      cpu_avg: weighted('cpu_avg'),
      cpu_max: 'max(cpu_max)',
      load1_avg: weighted('load1_avg'),
      load5_avg: weighted('load5_avg'),
      load15_avg: weighted('load15_avg'),
      memory_avg: weighted('memory_avg'),
      memory_max: 'max(memory_max)',
      memory_total: 'max(memory_total)',
      disk_used_last: '(array_agg(disk_used_last ORDER BY ts DESC))[1]',
      disk_used_max: 'max(disk_used_max)',
      disk_total: 'max(disk_total)',
      network_rx: 'sum(network_rx)',
      network_tx: 'sum(network_tx)',
    },
  },
};
