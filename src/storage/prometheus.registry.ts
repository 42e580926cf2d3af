import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from 'prom-client';
import { AgentLinks } from '../agent-links/agent-links.js';
import { AlertStoreRepository } from '../alerts/engine/alert-store.repository.js';
import { EventEvaluator } from '../alerts/engine/event-evaluator.js';
import { LogEvaluator } from '../alerts/engine/log-evaluator.js';
import { MetricEvaluator } from '../alerts/engine/metric-evaluator.js';
import { OutboxStats } from '../alerts/outbox/outbox-stats.js';
import { BatchingBuffer, type KindStats } from '../buffer/batching-buffer.js';
import { SqlClient, type PoolStats } from '../database/sql-client.js';
import { IngestStats, type KindCounters } from '../ingest/ingest-stats.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RollupService } from '../rollups/rollup.service.js';
import { HttpRequestMetrics } from './http-request-metrics.js';
import { IngestRateSampler } from './ingest-rate.sampler.js';
import { RetentionService } from './retention.service.js';

/** Reads one figure per kind from a snapshot taken at scrape time. */
const perKind =
  <T>(snapshot: () => Record<string, T>, pick: (stats: T) => number) =>
  (): Record<string, number> =>
    Object.fromEntries(Object.entries(snapshot()).map(([kind, stats]) => [kind, pick(stats)]));

/** package.json is two folders up from both src/storage and dist/storage. */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * This application's own Prometheus registry (not prom-client's global one, so several apps in one
 * process, as in the tests, do not collide). Every value is read from its owner at scrape time:
 * the counters live in the buffer, the ingest stats and the retention service, not here.
 */
@Injectable()
export class PrometheusRegistry {
  private readonly registry = new Registry();
  /** Sockets open per gateway, read at scrape time; the agent gateway's is known here, others are added by socketCount. */
  private readonly sockets = new Map<string, () => number>();

  constructor(
    buffer: BatchingBuffer,
    ingest: IngestStats,
    rate: IngestRateSampler,
    agents: AgentLinks,
    retention: RetentionService,
    rollups: RollupService,
    outbox: OutboxStats,
    alerts: AlertStoreRepository,
    metricRules: MetricEvaluator,
    eventRules: EventEvaluator,
    logRules: LogEvaluator,
    http: HttpRequestMetrics,
    sql: SqlClient,
    redis: RedisConnection,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const buffers = () => buffer.stats();
    const frames = () => ingest.snapshot();
    this.gauge('dockpulse_buffer_pending_rows', 'Rows waiting in the batching buffer', perKind(buffers, (s: KindStats) => s.pendingRows));
    this.gauge('dockpulse_buffer_in_flight_rows', 'Rows being written by a flush', perKind(buffers, (s: KindStats) => s.inFlightRows));
    this.counter('dockpulse_buffer_flushed_rows_total', 'Rows committed by the batching buffer', perKind(buffers, (s: KindStats) => s.flushedRows));
    this.counter('dockpulse_buffer_failed_flushes_total', 'Flush attempts that failed and were retried', perKind(buffers, (s: KindStats) => s.failedFlushes));
    this.counter('dockpulse_ingest_accepted_frames_total', 'Agent frames stored and acknowledged', perKind(frames, (s: KindCounters) => s.acceptedFrames));
    this.counter('dockpulse_ingest_rejected_frames_total', 'Agent frames answered with an error', perKind(frames, (s: KindCounters) => s.rejectedFrames));
    this.counter('dockpulse_ingest_expired_rows_total', 'Rows past their retention, acknowledged but not stored', perKind(frames, (s: KindCounters) => s.expiredRows));
    this.gauge('dockpulse_ingest_rows_per_second', 'Rows committed per second over the last minute', () => rate.rate().kinds);
    this.gauge('dockpulse_agents_connected', 'Agent sockets connected to this instance', () => agents.connectedCount(), false);
    this.gauge('dockpulse_retention_last_run_timestamp_seconds', 'When the retention job last finished, 0 before its first run', () =>
      retention.lastFinishedAt ? retention.lastFinishedAt.getTime() / 1000 : 0, false,
    );
    this.counter('dockpulse_retention_dropped_partitions_total', 'Partitions dropped by the retention job', () => retention.droppedPartitionsTotal, false);
    this.gauge('dockpulse_rollup_pending_periods', 'Series periods (a minute, hour or day of one container or host) waiting to be rolled up on this instance', () => rollups.pending, false);
    this.counter('dockpulse_rollup_failed_minutes_total', 'Minutes of a series skipped because their samples could not be rolled up', () => rollups.failedMinutes, false);
    this.counter('dockpulse_notifications_sent_total', 'Alert notifications accepted by their receiver', () => outbox.sent, 'channel_type');
    this.counter('dockpulse_notifications_failed_total', 'Alert notifications given up on (receiver never accepted them, or channel deleted)', () => outbox.failed, 'channel_type');
    this.counter('dockpulse_notifications_retries_total', 'Failed notification attempts scheduled again', () => outbox.retries, false);
    this.gauge('dockpulse_alerts_evaluation_backlog', 'Committed frames waiting for alert evaluation on this instance', () => metricRules.queue.pending + eventRules.queue.pending + logRules.queue.pending, false);
    this.counter('dockpulse_alerts_evaluation_skipped_total', 'Frames of samples or log lines not evaluated because evaluation was too far behind', () => metricRules.queue.skipped + logRules.queue.skipped, false);
    for (const metric of <Metric[]>[ingest.ackSeconds, ingest.refusedFrames, buffer.flushSeconds, http.seconds]) this.registry.registerMetric(metric);
    this.sockets.set('agent', () => agents.connectedCount());
    this.gauge('dockpulse_sockets', 'WebSockets open on this instance, by gateway (agent, live)', () => Object.fromEntries([...this.sockets].map(([gateway, read]) => [gateway, read()])), 'gateway');
    this.poolGauges(sql);
    this.gauge('dockpulse_redis_connected', 'Whether this instance is connected to Redis (1) or not (0, also when REDIS_URL is unset)', () => (redis.connected ? 1 : 0), false);
    new Gauge({
      name: 'dockpulse_build_info',
      help: 'Always 1; the labels say which version of DockPulse runs on which Node.js',
      labelNames: ['version', 'node'],
      registers: [this.registry],
    }).set({ version: VERSION, node: process.version }, 1);
    let lastFiring: Record<string, number> = {};
    new Gauge({
      name: 'dockpulse_alerts_firing',
      help: 'Alerts firing now, all instances together, by severity',
      labelNames: ['severity'],
      registers: [this.registry],
      // Counted at scrape time; a database that cannot answer leaves the last count.
      async collect() {
        lastFiring = await alerts.firingBySeverity().catch(() => lastFiring);
        this.reset();
        for (const [severity, count] of Object.entries(lastFiring)) this.set({ severity }, count);
      },
    });
    let lastPending = 0;
    new Gauge({
      name: 'dockpulse_notifications_pending',
      help: 'Alert notifications waiting to be delivered, all instances together',
      registers: [this.registry],
      // A database that cannot answer leaves the last count rather than failing the whole scrape.
      async collect() {
        lastPending = await outbox.pending().catch(() => lastPending);
        this.set(lastPending);
      },
    });
  }

  /** Counts another gateway's sockets in dockpulse_sockets (the live gateway sits beside storage, so the app wires it). */
  socketCount(gateway: string, read: () => number): void {
    this.sockets.set(gateway, read);
  }

  /**
   * PostgreSQL's pools by `pool` (main, ingest); PGlite has none, so only dockpulse_database_info
   * (engine) has a sample there.
   */
  private poolGauges(sql: SqlClient): void {
    new Gauge({ name: 'dockpulse_database_info', help: 'Always 1; the label says which database engine this instance runs on (postgres, pglite)', labelNames: ['engine'], registers: [this.registry] }).set(
      { engine: sql.engine },
      1,
    );
    const pools = (pick: (stats: PoolStats) => number) => () => Object.fromEntries(sql.poolStats().map((stats) => [stats.pool, pick(stats)]));
    this.gauge('dockpulse_db_pool_in_use', 'PostgreSQL connections (main) or ingest slots (ingest) in use', pools((s) => s.inUse), 'pool');
    this.gauge('dockpulse_db_pool_waiting', 'Queries waiting for a PostgreSQL connection (main) or an ingest slot (ingest)', pools((s) => s.waiting), 'pool');
    this.gauge('dockpulse_db_pool_total', 'PostgreSQL connections open (main), ingest slots there are (ingest)', pools((s) => s.total), 'pool');
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** A gauge set at scrape time: one value, or one per kind (label `kind`, or the label named). */
  private gauge(name: string, help: string, read: () => number | Record<string, number>, label: string | false = 'kind'): void {
    this.mirror(Gauge, name, help, read, label);
  }

  /** A counter mirrored at scrape time from a cumulative count kept by its owner. */
  private counter(name: string, help: string, read: () => number | Record<string, number>, label: string | false = 'kind'): void {
    this.mirror(Counter, name, help, read, label);
  }

  /** Registers a metric whose values are read from their owner at every scrape. */
  private mirror(Metric: typeof Gauge | typeof Counter, name: string, help: string, read: () => number | Record<string, number>, label: string | false): void {
    new Metric({
      name,
      help,
      labelNames: label ? [label] : [],
      registers: [this.registry],
      collect(this: Gauge | Counter) {
        const value = read();
        this.reset();
        // A counter's only write is inc: after reset, inc(v) sets it to its owner's cumulative v.
        const write = (labels: Record<string, string>, v: number) => (this instanceof Gauge ? this.set(labels, v) : this.inc(labels, v));
        if (typeof value === 'number') write({}, value);
        else for (const [key, v] of Object.entries(value)) write({ [label as string]: key }, v);
      },
    });
  }
}
