export type Severity = 'info' | 'warning' | 'critical';

/** What any channel can carry; each sender renders it in its receiver's own format. */
export interface NotificationMessage {
  title: string;
  text: string;
  severity: Severity;
  /** A link back to DockPulse (PUBLIC_URL), when there is one. */
  url?: string;
  fields?: { name: string; value: string }[];
  /** The webhook body; when absent, webhooks get the message itself. */
  event?: Record<string, unknown>;
}

export interface ResolvedChannel {
  id: string;
  type: import('./channel-config.js').ChannelType;
  config: import('./channel-config.js').ChannelConfig;
}

/** The receiver's answer: accepted, or why not (its status and the start of its body, or the error). */
export type DeliveryResult = { ok: true; status?: number } | { ok: false; status?: number; body?: string; error: string };

export interface ChannelSender {
  send(channel: ResolvedChannel, message: NotificationMessage, deliveryId: string): Promise<DeliveryResult>;
}

export const testMessage = (): NotificationMessage => ({
  title: 'DockPulse test notification',
  text: 'This channel works: DockPulse can reach it.',
  severity: 'info',
});
