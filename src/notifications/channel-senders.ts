import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import type { ChannelSender, DeliveryResult, NotificationMessage, ResolvedChannel } from './notification-message.js';
import { discordBody, ntfyRequest, slackBody } from './senders/chat.senders.js';
import { EmailSender } from './senders/email.sender.js';
import { httpPost } from './senders/http-post.js';
import { webhookRequest } from './senders/webhook.sender.js';

const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': 'DockPulse' };

/** Every channel type behind one `send`; the alert engine and the test endpoint both use it. */
@Injectable()
export class ChannelSenders implements ChannelSender, OnModuleDestroy {
  private readonly allowPrivate: boolean;
  readonly email: EmailSender;

  constructor(config: ConfigService<Environment, true>) {
    this.allowPrivate = config.get('NOTIFY_ALLOW_PRIVATE', { infer: true });
    this.email = new EmailSender(config.get('SMTP_URL', { infer: true }), config.get('SMTP_FROM', { infer: true }));
  }

  send(channel: ResolvedChannel, message: NotificationMessage, deliveryId: string): Promise<DeliveryResult> {
    const { url, token, to } = channel.config;
    switch (channel.type) {
      case 'webhook': {
        const request = webhookRequest(channel, message, deliveryId);
        return httpPost(url!, request.headers, request.body, this.allowPrivate);
      }
      case 'slack':
        return httpPost(url!, JSON_HEADERS, JSON.stringify(slackBody(message)), this.allowPrivate);
      case 'discord':
        return httpPost(url!, JSON_HEADERS, JSON.stringify(discordBody(message)), this.allowPrivate);
      case 'ntfy': {
        const request = ntfyRequest(message, token);
        return httpPost(url!, request.headers, request.body, this.allowPrivate);
      }
      case 'email':
        return this.email.send(to!, message);
    }
  }

  onModuleDestroy(): void {
    this.email.close();
  }
}
