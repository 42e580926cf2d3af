import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { publicUrl, type Environment } from '../config/environment.js';
import { EventBus } from '../events/event-bus.js';
import { defineLiveTopic } from '../events/live-topic.js';
import { toAlertView, type AlertRow, type NotificationRow } from './alert-row.js';
import type { AlertEvent, AlertEventName } from './alert.view.js';

/** Dashboards subscribe to `alerts`; on the bus it is one topic per organization. */
export const ALERTS_TOPIC = defineLiveTopic('organization', 'alerts');

/** Builds alert events (webhook bodies, `alerts` frames) and pushes every transition live. */
@Injectable()
export class AlertEvents {
  private readonly baseUrl: string;

  constructor(
    private readonly bus: EventBus,
    config: ConfigService<Environment, true>,
  ) {
    this.baseUrl = publicUrl({ PUBLIC_URL: config.get('PUBLIC_URL', { infer: true }), PORT: config.get('PORT', { infer: true }) });
  }

  url(alertId: string): string {
    return `${this.baseUrl}/alerts/${alertId}`;
  }

  event(event: AlertEventName, row: AlertRow, notifications: NotificationRow[] = []): AlertEvent {
    return { type: 'alert', event, alert: toAlertView(row, notifications), url: this.url(row.id) };
  }

  publish(event: AlertEvent, organizationId: string): void {
    this.bus.publish(ALERTS_TOPIC.of(organizationId), { type: 'alert', data: event });
  }
}
