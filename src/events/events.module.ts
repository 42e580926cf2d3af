import { Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { EventBus } from './event-bus.js';
import { InProcessEventBus } from './in-process-event-bus.js';

/** Provides the EventBus everywhere; in-process until a Redis implementation is configured. */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => {
        // Say so rather than let an operator believe several instances share live data already.
        if (config.get('REDIS_URL', { infer: true })) {
          new Logger('EventBus').warn('REDIS_URL is set, but this version keeps live events and tickets in-process: run a single instance');
        }
        return new InProcessEventBus();
      },
    },
  ],
  exports: [EventBus],
})
export class EventsModule {}
