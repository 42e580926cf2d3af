import { createHmac } from 'node:crypto';
import type { NotificationMessage, ResolvedChannel } from '../notification-message.js';

export const SIGNATURE_HEADER = 'X-DockPulse-Signature';
export const DELIVERY_HEADER = 'X-DockPulse-Delivery';

/** `sha256=<hex HMAC-SHA256 of the raw body>`, what a receiver recomputes with the shared secret. */
export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

export function webhookRequest(channel: ResolvedChannel, message: NotificationMessage, deliveryId: string) {
  const { event, ...rest } = message;
  const body = JSON.stringify(event ?? { type: 'notification', deliveryId, ...rest, sentAt: new Date().toISOString() });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'DockPulse', [DELIVERY_HEADER]: deliveryId };
  if (channel.config.secret) headers[SIGNATURE_HEADER] = signature(channel.config.secret, body);
  return { headers, body };
}
