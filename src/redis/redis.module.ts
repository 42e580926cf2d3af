import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { RedisConnection } from './redis-connection.js';

/**
 * Provides RedisConnection everywhere. Without REDIS_URL it is disabled (`enabled` false, no
 * connection is ever opened) and every user keeps its in-process implementation.
 */
@Global()
@Module({
  providers: [
    {
      provide: RedisConnection,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new RedisConnection({ url: config.get('REDIS_URL', { infer: true }), keyPrefix: config.getOrThrow('REDIS_KEY_PREFIX', { infer: true }) }),
    },
  ],
  exports: [RedisConnection],
})
export class RedisModule {}
