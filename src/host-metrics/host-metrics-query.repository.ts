import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import { ROLLUP_SPECS } from '../rollups/rollup-specs.js';
import { TIER_MS, type RollupTier } from '../time-series/rollup-tier.js';
import { counterDelta } from '../time-series/counters.js';
import { meanOf, weightedMeanOf } from '../time-series/means.js';
import { isoText, num, rawBucketsSql, rollupBucketsSql, rollupRowsSql } from '../time-series/metric-sql.js';
import { intervalOf } from '../time-series/metric-window.js';

export interface HostSampleRow {
  ts: string;
  cpuPercent: number;
  load1: number;
  load5: number;
  load15: number;
  memoryUsed: number;
  memoryTotal: number;
  diskUsed: number;
  diskTotal: number;
  networkRx: number;
  networkTx: number;
}

export interface HostBucketRow {
  ts: string;
  samples: number;
  cpuAvg: number;
  cpuMax: number;
  load1: number;
  load5: number;
  load15: number;
  memoryAvg: number;
  memoryMax: number;
  memoryTotal: number;
  diskLast: number;
  diskMax: number;
  diskTotal: number;
  networkRx: number;
  networkTx: number;
}

const { columns, counters, tables } = ROLLUP_SPECS.host;
const perTier = (build: (table: string) => string) =>
  Object.fromEntries(Object.entries(tables).map(([tier, table]) => [tier, build(table)])) as Record<RollupTier, string>;
const RAW_BUCKETS = rawBucketsSql('host_metrics', 'host_id', columns, counters, {
  samples: 'count(*)::int4',
  cpuAvg: meanOf('cpu_percent'),
  cpuMax: 'max(cpu_percent)',
  load1: meanOf('load1'),
  load5: meanOf('load5'),
  load15: meanOf('load15'),
  memoryAvg: meanOf('memory_used::float8'),
  memoryMax: num('max(memory_used)'),
  memoryTotal: num('max(memory_total)'),
  diskLast: num('(array_agg(disk_used ORDER BY ts DESC))[1]'),
  diskMax: num('max(disk_used)'),
  diskTotal: num('max(disk_total)'),
  networkRx: `sum((${counterDelta('network_rx')})::float8)`,
  networkTx: `sum((${counterDelta('network_tx')})::float8)`,
});
const ROLLUP_AGGREGATES = {
  samples: 'sum(samples)::int4',
  cpuAvg: weightedMeanOf('cpu_avg', 'samples'),
  cpuMax: 'max(cpu_max)',
  load1: weightedMeanOf('load1_avg', 'samples'),
  load5: weightedMeanOf('load5_avg', 'samples'),
  load15: weightedMeanOf('load15_avg', 'samples'),
  memoryAvg: weightedMeanOf('memory_avg', 'samples'),
  memoryMax: num('max(memory_max)'),
  memoryTotal: num('max(memory_total)'),
  diskLast: num('(array_agg(disk_used_last ORDER BY ts DESC))[1]'),
  diskMax: num('max(disk_used_max)'),
  diskTotal: num('max(disk_total)'),
  networkRx: num('sum(network_rx)'),
  networkTx: num('sum(network_tx)'),
};
const ROLLUP_BUCKETS = perTier((table) => rollupBucketsSql(table, 'host_id', ROLLUP_AGGREGATES));
/** ROLLUP_AGGREGATES over a bucket of one row. */
const ROLLUP_ROW = {
  samples: 'samples',
  cpuAvg: 'cpu_avg',
  cpuMax: 'cpu_max',
  load1: 'load1_avg',
  load5: 'load5_avg',
  load15: 'load15_avg',
  memoryAvg: 'memory_avg',
  memoryMax: num('memory_max'),
  memoryTotal: num('memory_total'),
  diskLast: num('disk_used_last'),
  diskMax: num('disk_used_max'),
  diskTotal: num('disk_total'),
  networkRx: num('network_rx'),
  networkTx: num('network_tx'),
};
const ROLLUP_ROWS = perTier((table) => rollupRowsSql(table, 'host_id', ROLLUP_ROW));

/** Reads of host metrics; callers check the host's organization through the access layer first. */
@Injectable()
export class HostMetricsQueryRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Raw samples of one host in [from, to), newest first. */
  samples(hostId: string, from: Date, to: Date, limit: number): Promise<HostSampleRow[]> {
    return this.sql.query<HostSampleRow>(
      `SELECT ${isoText('ts')} AS ts, cpu_percent AS "cpuPercent", load1, load5, load15, ${num('memory_used')} AS "memoryUsed",
         ${num('memory_total')} AS "memoryTotal", ${num('disk_used')} AS "diskUsed", ${num('disk_total')} AS "diskTotal",
         ${num('network_rx')} AS "networkRx", ${num('network_tx')} AS "networkTx"
       FROM host_metrics WHERE host_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts DESC LIMIT $4`,
      [hostId, from.toISOString(), to.toISOString(), limit],
    );
  }

  /** Buckets of `bucketMs` over [from, to), newest first, from raw samples (any width) or a rollup tier (widths it divides). */
  buckets(source: 'raw' | RollupTier, hostId: string, from: Date, to: Date, bucketMs: number, limit: number): Promise<HostBucketRow[]> {
    return this.sql.query<HostBucketRow>(source === 'raw' ? RAW_BUCKETS : (bucketMs === TIER_MS[source] ? ROLLUP_ROWS : ROLLUP_BUCKETS)[source], [
      hostId,
      from.toISOString(),
      to.toISOString(),
      intervalOf(bucketMs),
      limit,
    ]);
  }
}
