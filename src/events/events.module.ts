import { Global, Module } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RedisConnection } from '../redis/redis-connection.js';
import { EventBus } from './event-bus.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { RedisEventBus } from './redis-event-bus.js';

/** Provides the EventBus everywhere: Redis pub/sub across instances when REDIS_URL is set, in-process otherwise. */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [RedisConnection, SchedulerRegistry],
      useFactory: (redis: RedisConnection, schedules: SchedulerRegistry) => (redis.enabled ? new RedisEventBus(redis, schedules) : new InProcessEventBus()),
    },
  ],
  exports: [EventBus],
})
export class EventsModule {}
