import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { resolveNotifySecretKey } from '../config/jwt-secret.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { ChannelSenders } from './channel-senders.js';
import { NotificationChannelsController } from './notification-channels.controller.js';
import { NotificationChannelsRepository } from './notification-channels.repository.js';
import { NotificationChannelsService } from './notification-channels.service.js';
import { SecretBox } from './secret-box.js';

/** Notification channels: where alerts are sent, and the senders that reach them. */
@Module({
  controllers: [NotificationChannelsController],
  providers: [
    NotificationChannelsRepository,
    NotificationChannelsService,
    ChannelSenders,
    {
      provide: SecretBox,
      inject: [ConfigService, RedisConnection],
      useFactory: (config: ConfigService<Environment, true>, redis: RedisConnection) => {
        const key = resolveNotifySecretKey(config.get('NOTIFY_SECRET_KEY', { infer: true }), config.getOrThrow('DATA_DIR', { infer: true }));
        redis.shareSecret('NOTIFY_SECRET_KEY', key, 'Until then, a notification claimed by an instance that cannot read its channel fails and is retried.');
        return new SecretBox(key);
      },
    },
  ],
  exports: [NotificationChannelsService, ChannelSenders],
})
export class NotificationsModule {}
