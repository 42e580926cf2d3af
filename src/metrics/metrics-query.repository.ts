import { Injectable } from '@nestjs/common';
import { SqlClient } from '../database/sql-client.js';
import { ROLLUP_SPECS } from '../rollups/rollup-specs.js';
import { TIER_MS, type RollupTier } from '../time-series/rollup-tier.js';
import { counterDelta } from '../time-series/counters.js';
import { meanOf, weightedMeanOf } from '../time-series/means.js';
import { isoText, num, rawBucketsSql, rollupBucketsSql, rollupRowsSql } from '../time-series/metric-sql.js';
import { intervalOf } from '../time-series/metric-window.js';

export interface ContainerSampleRow {
  ts: string;
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export interface ContainerHistoryRow extends ContainerSampleRow {
  containerId: string;
  hostId: string;
}

export interface ContainerBucketRow {
  ts: string;
  samples: number;
  cpuAvg: number;
  cpuMax: number;
  memoryAvg: number;
  memoryMax: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
}

const SAMPLE = `${isoText('m.ts')} AS ts, m.cpu_percent AS "cpuPercent", ${num('m.memory_used')} AS "memoryUsed",
  ${num('m.memory_limit')} AS "memoryLimit", ${num('m.network_rx')} AS "networkRx", ${num('m.network_tx')} AS "networkTx",
  ${num('m.block_read')} AS "blockRead", ${num('m.block_write')} AS "blockWrite", m.pids`;

const { columns, counters, tables } = ROLLUP_SPECS.container;
const perTier = (build: (table: string) => string) =>
  Object.fromEntries(Object.entries(tables).map(([tier, table]) => [tier, build(table)])) as Record<RollupTier, string>;
const RAW_BUCKETS = rawBucketsSql('container_metrics', 'container_id', columns, counters, {
  samples: 'count(*)::int4',
  cpuAvg: meanOf('cpu_percent'),
  cpuMax: 'max(cpu_percent)',
  memoryAvg: meanOf('memory_used::float8'),
  memoryMax: num('max(memory_used)'),
  ...Object.fromEntries(['network_rx', 'network_tx', 'block_read', 'block_write'].map((c) => [camel(c), `sum((${counterDelta(c)})::float8)`])),
});
const ROLLUP_AGGREGATES = {
  samples: 'sum(samples)::int4',
  cpuAvg: weightedMeanOf('cpu_avg', 'samples'),
  cpuMax: 'max(cpu_max)',
  memoryAvg: weightedMeanOf('memory_avg', 'samples'),
  memoryMax: num('max(memory_max)'),
  ...Object.fromEntries(['network_rx', 'network_tx', 'block_read', 'block_write'].map((c) => [camel(c), num(`sum(${c})`)])),
};
const ROLLUP_BUCKETS = perTier((table) => rollupBucketsSql(table, 'container_id', ROLLUP_AGGREGATES));
/** ROLLUP_AGGREGATES over a bucket of one row. */
const ROLLUP_ROW = {
  samples: 'samples',
  cpuAvg: 'cpu_avg',
  cpuMax: 'cpu_max',
  memoryAvg: 'memory_avg',
  memoryMax: num('memory_max'),
  ...Object.fromEntries(['network_rx', 'network_tx', 'block_read', 'block_write'].map((c) => [camel(c), num(c)])),
};
const ROLLUP_ROWS = perTier((table) => rollupRowsSql(table, 'container_id', ROLLUP_ROW));

function camel(column: string): string {
  return column.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** Reads of container metrics; callers check the container's organization through the access layer first. */
@Injectable()
export class MetricsQueryRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Raw samples of one container in [from, to), newest first. */
  samples(containerId: string, from: Date, to: Date, limit: number): Promise<ContainerSampleRow[]> {
    return this.sql.query<ContainerSampleRow>(
      `SELECT ${SAMPLE} FROM container_metrics m WHERE m.container_id = $1 AND m.ts >= $2 AND m.ts < $3 ORDER BY m.ts DESC LIMIT $4`,
      [containerId, from.toISOString(), to.toISOString(), limit],
    );
  }

  /** Buckets of `bucketMs` over [from, to), newest first, from raw samples (any width) or a rollup tier (widths it divides). */
  buckets(source: 'raw' | RollupTier, containerId: string, from: Date, to: Date, bucketMs: number, limit: number): Promise<ContainerBucketRow[]> {
    return this.sql.query<ContainerBucketRow>(source === 'raw' ? RAW_BUCKETS : (bucketMs === TIER_MS[source] ? ROLLUP_ROWS : ROLLUP_BUCKETS)[source], [
      containerId,
      from.toISOString(),
      to.toISOString(),
      intervalOf(bucketMs),
      limit,
    ]);
  }

  /** One container's samples since `from`, newest first, with their ids. */
  containerHistory(containerId: string, from: Date, limit: number): Promise<ContainerHistoryRow[]> {
    return this.sql.query<ContainerHistoryRow>(
      `SELECT ${SAMPLE}, m.container_id AS "containerId", m.host_id AS "hostId"
       FROM container_metrics m WHERE m.container_id = $1 AND m.ts >= $2 ORDER BY m.ts DESC LIMIT $3`,
      [containerId, from.toISOString(), limit],
    );
  }

  /**
   * The organization's samples since `from`, newest first. Each host's newest `limit` rows come
   * from its (host_id, ts) index, so the cost follows the hosts and the limit, not the data volume.
   */
  organizationHistory(organizationId: string, from: Date, limit: number): Promise<ContainerHistoryRow[]> {
    return this.sql.query<ContainerHistoryRow>(
      `SELECT ${SAMPLE}, m.container_id AS "containerId", m.host_id AS "hostId"
       FROM hosts h CROSS JOIN LATERAL (
         SELECT * FROM container_metrics r WHERE r.host_id = h.id AND r.ts >= $2 ORDER BY r.ts DESC LIMIT $3
       ) m
       WHERE h.organization_id = $1::uuid ORDER BY m.ts DESC, m.container_id LIMIT $3`,
      [organizationId, from.toISOString(), limit],
    );
  }
}
