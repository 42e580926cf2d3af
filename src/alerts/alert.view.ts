import type { Severity } from './alert-rule.js';

export type AlertState = 'firing' | 'resolved';
export type AlertEventName = 'firing' | 'resolved' | 'repeat';
export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface AlertNotificationView {
  channelId: string;
  event: AlertEventName;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

/** What was true when a container died, was OOM-killed or turned unhealthy (CONTRACT.md `context`). */
export interface CrashContext {
  exitCode: number | null;
  oomKilled: boolean;
  restartCount: number | null;
  lastLogLines: { ts: string; stream: string; line: string }[];
  metrics: { ts: string; cpuPercent: number; memoryUsed: number; memoryLimit: number }[];
  topProcesses: { pid: number; name: string; cpuPercent: number; memoryRss: number }[];
  neighbours: { containerId: string; name: string | null; memoryUsed: number | null; cpuPercent: number | null }[];
}

/** An alert as the API, the `alerts` topic and webhooks show it. */
export interface AlertView {
  id: string;
  ruleId: string | null;
  ruleName: string;
  severity: Severity;
  state: AlertState;
  subject: { hostId: string; containerId?: string; name: string; hostName?: string };
  startedAt: string;
  resolvedAt: string | null;
  value: number | null;
  message: string;
  silenced: boolean;
  /** Why it notifies nobody: a silence, or its host being offline. */
  mutedBy: 'silence' | 'host_offline' | null;
  notifications: AlertNotificationView[];
  context: (CrashContext & Record<string, unknown>) | Record<string, unknown> | null;
}

/** The alert event: the webhook body and the `alerts` topic's data. */
export interface AlertEvent {
  type: 'alert';
  event: AlertEventName;
  alert: AlertView;
  /** The alert in the dashboard (PUBLIC_URL). */
  url: string;
}
