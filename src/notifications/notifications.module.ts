import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { resolveNotifySecretKey } from '../config/jwt-secret.js';
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
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new SecretBox(resolveNotifySecretKey(config.get('NOTIFY_SECRET_KEY', { infer: true }), config.getOrThrow('DATA_DIR', { infer: true }))),
    },
  ],
  exports: [NotificationChannelsService, ChannelSenders],
})
export class NotificationsModule {}
