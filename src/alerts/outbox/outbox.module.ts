import { Module } from '@nestjs/common';

/** The notification outbox: durable deliveries of alert events to channels, with retries. */
@Module({})
export class OutboxModule {}
