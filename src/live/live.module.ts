import { Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InMemoryTicketStore } from './in-memory-ticket-store.js';
import { LiveHub } from './live-hub.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import { LiveTicketsController } from './live-tickets.controller.js';
import { LiveGateway } from './live.gateway.js';
import { TicketStore } from './ticket-store.js';

/** Dashboards live: tickets, the /live socket and its fan-out from the event bus. */
@Module({
  controllers: [LiveTicketsController],
  providers: [
    { provide: TicketStore, inject: [SchedulerRegistry], useFactory: (schedules: SchedulerRegistry) => new InMemoryTicketStore(schedules) },
    LiveHub,
    LiveSubscriptions,
    LiveGateway,
  ],
})
export class LiveModule {}
