import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { AlertEventName } from '../alert.view.js';
import { OutboxDispatcher } from './outbox.dispatcher.js';
import { OutboxRepository, type OutboxItem } from './outbox.repository.js';

/**
 * Queues alert notifications in the caller's transaction, so an alert's state and what it has to
 * tell are committed together: a restart loses nothing and queues nothing twice. Each row's id is
 * its delivery id (X-DockPulse-Delivery), the same on every attempt.
 */
@Injectable()
export class Outbox {
  constructor(
    private readonly repository: OutboxRepository,
    private readonly dispatcher: OutboxDispatcher,
  ) {}

  /** Inserts pending rows, one statement; the delivery ids in the items' order. Call wake() after the commit. */
  enqueue(tx: SqlExecutor, items: OutboxItem[]): Promise<string[]> {
    return this.repository.insert(tx, items);
  }

  /** Withdraws the alert's `event` notifications that no instance has tried yet (a held-back "resolved" when the alert fires again); how many. */
  cancelPending(tx: SqlExecutor, alertId: string, event: AlertEventName): Promise<number> {
    return this.repository.cancelPending(tx, alertId, event);
  }

  /** Makes the dispatcher look for due rows now, rather than at its next poll. */
  wake(): void {
    this.dispatcher.wake();
  }
}
