// The shapes of the alerts API as the dashboard reads them (CONTRACT.md, "Alerts and notifications").
export type Severity = 'info' | 'warning' | 'critical';

export interface AlertNotification {
  channelId: string;
  event?: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

export interface CrashContext {
  exitCode?: number | null;
  oomKilled?: boolean;
  restartCount?: number | null;
  lastLogLines?: { ts: string; stream: string; line: string }[];
  metrics?: { ts: string; cpuPercent: number; memoryUsed: number; memoryLimit: number }[];
  topProcesses?: { pid: number; name: string; cpuPercent: number; memoryRss: number }[];
  neighbours?: { containerId: string; name: string | null; memoryUsed: number | null; cpuPercent: number | null }[];
}

export interface Alert {
  id: string;
  ruleId: string | null;
  ruleName: string;
  severity: Severity;
  state: 'firing' | 'resolved';
  subject: { hostId: string; containerId?: string; name: string; hostName?: string };
  startedAt: string;
  resolvedAt: string | null;
  value: number | null;
  message: string;
  silenced: boolean;
  mutedBy?: 'silence' | 'host_offline' | null;
  notifications: AlertNotification[];
  context: CrashContext | null;
}

export interface AlertEvent {
  type: 'alert';
  event: 'firing' | 'resolved' | 'repeat';
  alert: Alert;
  url: string;
}

export type ChannelType = 'webhook' | 'slack' | 'discord' | 'ntfy' | 'email';
export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
}

export interface Silence {
  id: string;
  hostId: string | null;
  containerId: string | null;
  ruleId: string | null;
  startsAt: string;
  endsAt: string;
  comment: string;
  active: boolean;
}

export interface HostSummary {
  id: string;
  name: string;
}
