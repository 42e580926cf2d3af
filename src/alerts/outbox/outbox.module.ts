import { Module } from '@nestjs/common';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { OutboxStats } from './outbox-stats.js';
import { Outbox } from './outbox.js';
import { OutboxDispatcher } from './outbox.dispatcher.js';
import { OutboxRepository } from './outbox.repository.js';

/** The notification outbox: durable deliveries of alert events to channels, with retries. */
@Module({
  imports: [NotificationsModule],
  providers: [OutboxRepository, OutboxDispatcher, OutboxStats, Outbox],
  exports: [Outbox, OutboxStats],
})
export class OutboxModule {}
