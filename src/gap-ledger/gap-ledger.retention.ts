import { Injectable } from '@nestjs/common';
import { Retention } from '../config/retention.js';
import { ROLLUPS_RETENTION } from '../time-series/metrics-retention.js';
import { ConnectionLedgerRepository } from './connection-ledger.repository.js';
import { PresenceLedgerRepository } from './presence-ledger.repository.js';
import { RefusalLedgerRepository } from './refusal-ledger.repository.js';

/** The ledger explains the rollups' minutes, so it is kept as long as they are (RETENTION_ROLLUPS). */
@Injectable()
export class GapLedgerRetention {
  constructor(
    private readonly connections: ConnectionLedgerRepository,
    private readonly refusals: RefusalLedgerRepository,
    private readonly presence: PresenceLedgerRepository,
    private readonly retention: Retention,
  ) {}

  /** Deletes what is older than the rollups; returns how many rows went. */
  async prune(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.retention.ms(ROLLUPS_RETENTION));
    return (await this.connections.deleteEndedBefore(before)) + (await this.refusals.deleteBefore(before)) + (await this.presence.deleteBefore(before));
  }
}
