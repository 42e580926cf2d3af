import { Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InMemoryTicketStore } from './in-memory-ticket-store.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisTicketStore } from './redis-ticket-store.js';
import { LiveHub } from './live-hub.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import { LiveTicketsController } from './live-tickets.controller.js';
import { LiveGateway } from './live.gateway.js';
import { TicketStore } from './ticket-store.js';

/** Dashboards live: tickets, the /live socket and its fan-out from the event bus. */
@Module({
  controllers: [LiveTicketsController],
  providers: [
    {
      provide: TicketStore,
      inject: [RedisConnection, SchedulerRegistry],
      useFactory: (redis: RedisConnection, schedules: SchedulerRegistry) => (redis.enabled ? new RedisTicketStore(redis) : new InMemoryTicketStore(schedules)),
    },
    LiveHub,
    LiveSubscriptions,
    LiveGateway,
  ],
})
export class LiveModule {}
