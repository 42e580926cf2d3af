import { Injectable } from '@nestjs/common';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { Retention } from '../config/retention.js';
import { PartitionManager, type PartitionInfo } from '../database/partition-manager.js';
import { TIME_SERIES_TABLES } from '../database/time-series-tables.js';
import { IngestStats } from '../ingest/ingest-stats.js';
import { IngestRateSampler } from './ingest-rate.sampler.js';
import { catalogEstimate, plannerEstimate, relationsToCount } from './row-estimates.js';
import { StorageCatalogRepository, type Probe, type RelationStats } from './storage-catalog.repository.js';
import { bytesPerHostPerDay, tierBytes } from './tier-footprint.js';
import { TimeBoundsRepository, type BoundRequest } from './time-bounds.repository.js';

/** The small, mutable tables reported beside the time-series ones; each has a created_at. */
const SMALL_TABLES = ['organizations', 'users', 'hosts', 'containers', 'commands', 'enrollment_tokens'];

export interface TableFigures {
  rows: number;
  /** Whether every row was counted; otherwise (large relations) rows is the planner's estimate. */
  rowsExact: boolean;
  bytes: number;
  oldest: string | null;
  newest: string | null;
  partitions?: number;
}

/**
 * Installation-wide storage figures, cheap at any volume: sizes and row estimates come from the
 * catalog, only small relations are counted, and the time range of a table reads the index of
 * its two edge partitions.
 */
@Injectable()
export class StorageHealthService {
  constructor(
    private readonly catalog: StorageCatalogRepository,
    private readonly timeBounds: TimeBoundsRepository,
    private readonly partitions: PartitionManager,
    private readonly buffer: BatchingBuffer,
    private readonly ingestStats: IngestStats,
    private readonly rate: IngestRateSampler,
    private readonly retention: Retention,
  ) {}

  async health() {
    const [databaseSizeBytes, tables] = await Promise.all([this.catalog.databaseSizeBytes(), this.tables()]);
    return {
      databaseSizeBytes,
      tables,
      tiers: tierBytes(tables),
      bytesPerHostPerDay: bytesPerHostPerDay(tables, tables.hosts?.rows ?? 0),
      retention: this.retention.durations(),
      buffers: this.buffer.stats(),
      ingest: this.ingest(),
    };
  }

  private async tables(): Promise<Record<string, TableFigures>> {
    const [partitions, small] = await Promise.all([this.partitions.listPartitions(), this.catalog.tables(SMALL_TABLES)]);
    const relations: RelationStats[] = [...partitions.map((p) => ({ ...p, name: p.partition })), ...small];
    const counted = relationsToCount(relations);
    const smallNames = new Set(small.map((t) => t.name));
    const probes = await this.catalog.probe(
      relations
        // Empty heaps need no reading; a large small-table is only estimated (its time range is not reported).
        .filter((r) => r.heapPages > 0 && (counted.has(r.name) || !smallNames.has(r.name)))
        .map((r) => ({ name: r.name, count: counted.has(r.name), timeColumn: smallNames.has(r.name) ? 'created_at' : undefined })),
    );
    const rows = await this.rows(relations, probes);

    const byTable = new Map(TIME_SERIES_TABLES.map(({ table }) => [table, [] as PartitionInfo[]]));
    for (const p of partitions) byTable.get(p.table)?.push(p);
    const bounds = await this.timeBounds.bounds([...byTable.values()].flatMap((parts) => edgeRequests(parts, probes)));
    const tables: Record<string, TableFigures> = {};
    for (const [table, parts] of byTable) {
      const range = bounds.get(table);
      tables[table] = {
        rows: parts.reduce((sum, p) => sum + rows.get(p.partition)!.rows, 0),
        rowsExact: parts.every((p) => rows.get(p.partition)!.exact),
        bytes: parts.reduce((sum, p) => sum + p.bytes, 0),
        oldest: range?.oldest?.toISOString() ?? null,
        newest: range?.newest?.toISOString() ?? null,
        partitions: parts.length,
      };
    }
    for (const t of small) {
      const probe = probes.get(t.name);
      const { rows: count, exact: rowsExact } = rows.get(t.name)!;
      tables[t.name] = { rows: count, rowsExact, bytes: t.bytes, oldest: probe?.oldest?.toISOString() ?? null, newest: probe?.newest?.toISOString() ?? null };
    }
    return tables;
  }

  /** Counted rows where probed, else the catalog's density estimate, else the planner's. */
  private async rows(relations: RelationStats[], probes: Map<string, Probe>): Promise<Map<string, { rows: number; exact: boolean }>> {
    const result = new Map<string, { rows: number; exact: boolean }>();
    const unplanned: RelationStats[] = [];
    for (const r of relations) {
      const probe = probes.get(r.name);
      // An empty heap, or one holding only dead rows (a rolled-back flush), is known to be empty.
      const counted = probe?.rows ?? (r.heapPages === 0 || probe?.nonEmpty === false ? 0 : null);
      const estimate = counted ?? catalogEstimate(r);
      if (estimate === undefined) unplanned.push(r);
      else result.set(r.name, { rows: estimate, exact: counted !== null });
    }
    const planned = await this.catalog.plannerRows(unplanned.map((r) => r.name));
    for (const r of unplanned) result.set(r.name, { rows: plannerEstimate(planned.get(r.name) ?? 0, r), exact: false });
    return result;
  }

  private ingest() {
    const rate = this.rate.rate();
    const counters = this.ingestStats.snapshot();
    const kinds: Record<string, object> = {};
    for (const kind of new Set([...Object.keys(rate.kinds), ...Object.keys(counters)])) {
      kinds[kind] = { rowsPerSecond: rate.kinds[kind] ?? 0, ...counters[kind] };
    }
    return { rowsPerSecond: rate.rowsPerSecond, windowSeconds: rate.windowSeconds, kinds };
  }
}

/** The partitions that can hold a table's oldest and newest rows: the first and last non-empty ones. */
function edgeRequests(parts: PartitionInfo[], probes: Map<string, Probe>): BoundRequest[] {
  const filled = parts.filter((p) => probes.get(p.partition)?.nonEmpty);
  const bounded = filled.filter((p) => p.from && p.to);
  // A DEFAULT or unbounded partition can hold any time, so it is always asked.
  const unbounded = filled.filter((p) => !p.from || !p.to);
  const oldest = [bounded[0], ...unbounded].filter((p) => p !== undefined);
  const newest = [bounded.at(-1), ...unbounded].filter((p) => p !== undefined);
  return [
    ...oldest.map((p): BoundRequest => ({ table: p.table, partition: p.partition, edge: 'oldest' })),
    ...newest.map((p): BoundRequest => ({ table: p.table, partition: p.partition, edge: 'newest' })),
  ];
}
