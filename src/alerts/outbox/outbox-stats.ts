import { Injectable } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository.js';

/** What this instance's dispatcher has done since start, for Prometheus. */
@Injectable()
export class OutboxStats {
  /** Notifications accepted by their receiver, by channel type. */
  readonly sent: Record<string, number> = {};
  /** Notifications given up on (status failed), by channel type (`unknown` when the channel is gone). */
  readonly failed: Record<string, number> = {};
  /** Failed attempts that were scheduled again. */
  retries = 0;

  constructor(private readonly repository: OutboxRepository) {}

  countSent(channelType: string): void {
    this.sent[channelType] = (this.sent[channelType] ?? 0) + 1;
  }

  countFailed(channelType: string): void {
    this.failed[channelType] = (this.failed[channelType] ?? 0) + 1;
  }

  /** Notifications waiting in the database, of every instance: one count on a partial index. */
  pending(): Promise<number> {
    return this.repository.pendingCount();
  }
}
