import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { startInterval, stopInterval } from '../common/intervals.js';
import { ConnectionLedgerRepository, type ConnectionRecord } from './connection-ledger.repository.js';
import { InstanceId } from './instance-id.js';
import { LedgerClock } from './ledger-clock.js';

const FLUSH_MS = 1_000;
/** How often this instance stamps its open connections as still alive. */
export const REFRESH_MS = 60_000;
/** An open connection not stamped for this long belongs to an instance that died. */
export const STALE_MS = 3 * REFRESH_MS;
/** HTTP frames closer together than this are one connection. */
const HTTP_SESSION_MS = 2 * REFRESH_MS;
const FLUSH = 'gap-ledger-connections';

/**
 * Records agent connections for the gap ledger: opened and closed sockets, and runs of HTTP frames.
 * Never on the hot path: changes wait in memory (one entry per connection) and are written in one
 * statement a second; a failed write keeps them for the next one.
 */
@Injectable()
export class ConnectionLedger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ConnectionLedger.name);
  private readonly open = new Map<string, ConnectionRecord>();
  private readonly http = new Map<string, ConnectionRecord>();
  private readonly dirty = new Map<string, ConnectionRecord>();
  private lastRefresh = 0;
  private writing?: Promise<void>;
  private failing = false;

  constructor(
    private readonly repository: ConnectionLedgerRepository,
    private readonly instance: InstanceId,
    private readonly clock: LedgerClock,
    private readonly schedules: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.lastRefresh = this.clock.now();
    startInterval(this.schedules, FLUSH, FLUSH_MS, () => void this.tick());
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, FLUSH);
  }

  /** A socket of the host's agent opened; returns the connection's id, for `closed`. */
  opened(hostId: string): string {
    const now = this.clock.now();
    const record: ConnectionRecord = { id: randomUUID(), hostId, instanceId: this.instance.value, transport: 'socket', connectedAt: now, lastSeenAt: now };
    this.open.set(record.id, record);
    this.dirty.set(record.id, record);
    return record.id;
  }

  closed(id: string): void {
    const record = this.open.get(id);
    if (!record) return;
    this.open.delete(id);
    record.lastSeenAt = record.disconnectedAt = this.clock.now();
    this.dirty.set(id, record);
  }

  /** A frame arrived over HTTP: the host counts as connected now. */
  httpSeen(hostId: string): void {
    const now = this.clock.now();
    let record = this.http.get(hostId);
    if (!record || now - record.lastSeenAt > HTTP_SESSION_MS) {
      record = { id: randomUUID(), hostId, instanceId: this.instance.value, transport: 'http', connectedAt: now, lastSeenAt: now };
      this.http.set(hostId, record);
    }
    record.lastSeenAt = Math.max(record.lastSeenAt, now);
    this.dirty.set(record.id, record);
  }

  /** Writes every pending change now (readers, and shutdown after the sockets closed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.dirty.size) await this.write();
  }

  private async tick(): Promise<void> {
    if (this.writing) return;
    const now = this.clock.now();
    if (now - this.lastRefresh >= REFRESH_MS) {
      this.lastRefresh = now;
      for (const record of this.open.values()) {
        record.lastSeenAt = now;
        this.dirty.set(record.id, record);
      }
      for (const [hostId, record] of this.http) if (now - record.lastSeenAt > HTTP_SESSION_MS) this.http.delete(hostId);
    }
    if (this.dirty.size) await this.write();
  }

  private write(): Promise<void> {
    const records = [...this.dirty.values()].map((record) => ({ ...record }));
    this.dirty.clear();
    this.writing = this.repository
      .upsert(records)
      .then(() => {
        if (this.failing) this.logger.log('Recording agent connections succeeds again');
        this.failing = false;
      })
      .catch((error: Error) => {
        // Newer state of the same connection, recorded meanwhile, wins over the failed copy.
        for (const record of records) if (!this.dirty.has(record.id)) this.dirty.set(record.id, record);
        if (!this.failing) this.logger.warn(`Recording ${records.length} agent connection change(s) failed; kept for retry: ${error.message}`);
        this.failing = true;
      })
      .finally(() => (this.writing = undefined));
    return this.writing;
  }
}
