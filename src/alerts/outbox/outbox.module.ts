import { Module } from '@nestjs/common';
import { Outbox } from './outbox.js';

/** The notification outbox: durable deliveries of alert events to channels, with retries. */
@Module({ providers: [Outbox], exports: [Outbox] })
export class OutboxModule {}
