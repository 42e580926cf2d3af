import type { NotificationMessage } from '../../notifications/notification-message.js';
import type { AlertEvent, AlertEventName, AlertView } from '../alert.view.js';

const LABELS: Record<AlertEventName, string> = { firing: 'FIRING', resolved: 'RESOLVED', repeat: 'REMINDER' };
const LOG_LINES = 5;

/** `api-1 on host-a` for a container, the host's name for a host. */
function subjectText({ subject }: AlertView): string {
  return subject.containerId && subject.hostName ? `${subject.name} on ${subject.hostName}` : subject.name;
}

const formatValue = (value: number) => (Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2))));

function fields(alert: AlertView): { name: string; value: string }[] {
  const { subject } = alert;
  const context = (alert.context ?? {}) as Record<string, unknown>;
  const result = [{ name: 'Host', value: subject.hostName ?? (subject.containerId ? subject.hostId : subject.name) }];
  if (subject.containerId) result.push({ name: 'Container', value: subject.name });
  if (alert.value !== null) result.push({ name: 'Value', value: formatValue(alert.value) });
  if (typeof context.exitCode === 'number') result.push({ name: 'Exit code', value: String(context.exitCode) });
  if (typeof context.oomKilled === 'boolean') result.push({ name: 'OOM killed', value: context.oomKilled ? 'yes' : 'no' });
  if (typeof context.restartCount === 'number') result.push({ name: 'Restart count', value: String(context.restartCount) });
  const lines = Array.isArray(context.lastLogLines) ? (context.lastLogLines as { line?: unknown }[]).slice(-LOG_LINES) : [];
  if (lines.length) result.push({ name: 'Last log lines', value: lines.map((entry) => String(entry?.line ?? '')).join('\n') });
  return result;
}

/** What every channel gets for an alert event; webhooks get the event itself as their body. */
export function alertMessage(payload: AlertEvent): NotificationMessage {
  const { alert } = payload;
  return {
    title: `[${LABELS[payload.event]}] ${alert.ruleName} — ${subjectText(alert)}`,
    text: alert.message,
    severity: alert.severity,
    url: payload.url,
    fields: fields(alert),
    event: payload as unknown as Record<string, unknown>,
  };
}
