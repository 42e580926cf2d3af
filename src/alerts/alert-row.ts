import type { Severity } from './alert-rule.js';
import type { AlertEventName, AlertNotificationView, AlertState, AlertView, NotificationStatus } from './alert.view.js';

/** An `alerts` row as SQL returns it. */
export interface AlertRow {
  id: string;
  organization_id: string;
  rule_id: string | null;
  rule_name: string;
  severity: Severity;
  state: AlertState;
  subject_key: string;
  host_id: string;
  container_id: string | null;
  subject_name: string;
  started_at: Date;
  resolved_at: Date | null;
  value: number | null;
  message: string;
  muted_by: 'silence' | 'host_offline' | null;
  context: Record<string, unknown> | null;
  last_notified_at: Date | null;
  host_name?: string | null;
}

export interface NotificationRow {
  alert_id: string;
  channel_id: string;
  event: AlertEventName;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toNotificationView(row: NotificationRow): AlertNotificationView {
  return { channelId: row.channel_id, event: row.event, status: row.status, attempts: row.attempts, lastError: row.last_error, sentAt: iso(row.sent_at) };
}

export function toAlertView(row: AlertRow, notifications: NotificationRow[] = []): AlertView {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    severity: row.severity,
    state: row.state,
    subject: {
      hostId: row.host_id,
      ...(row.container_id && { containerId: row.container_id }),
      name: row.subject_name,
      ...(row.host_name && { hostName: row.host_name }),
    },
    startedAt: iso(row.started_at)!,
    resolvedAt: iso(row.resolved_at),
    value: row.value,
    message: row.message,
    silenced: row.muted_by !== null,
    mutedBy: row.muted_by,
    notifications: notifications.map(toNotificationView),
    context: row.context,
  };
}
