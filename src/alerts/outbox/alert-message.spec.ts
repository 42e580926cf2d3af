import type { AlertEvent, AlertView } from '../alert.view.js';
import { alertMessage } from './alert-message.js';

const alert = (overrides: Partial<AlertView> = {}): AlertView => ({
  id: 'a1',
  ruleId: 'r1',
  ruleName: 'High CPU',
  severity: 'critical',
  state: 'firing',
  subject: { hostId: 'h1', containerId: 'c1', name: 'api-1', hostName: 'host-a' },
  startedAt: '2026-12-01T10:00:00.000Z',
  resolvedAt: null,
  value: 97.1234,
  message: 'cpuPercent 97.12 > 90 over 5m',
  silenced: false,
  mutedBy: null,
  notifications: [],
  context: null,
  ...overrides,
});
const event = (name: AlertEvent['event'], view = alert()): AlertEvent => ({ type: 'alert', event: name, alert: view, url: 'https://dockpulse.example/alerts/a1' });

describe('alertMessage', () => {
  it('titles each event and carries the event itself for webhooks', () => {
    expect(alertMessage(event('firing')).title).toBe('[FIRING] High CPU — api-1 on host-a');
    expect(alertMessage(event('resolved')).title).toBe('[RESOLVED] High CPU — api-1 on host-a');
    expect(alertMessage(event('repeat')).title).toBe('[REMINDER] High CPU — api-1 on host-a');
    const payload = event('firing');
    expect(alertMessage(payload)).toMatchObject({ text: payload.alert.message, severity: 'critical', url: payload.url, event: payload });
  });

  it('lists host, container, value and what the crash context knows, with the last 5 log lines', () => {
    const lastLogLines = Array.from({ length: 7 }, (_, i) => ({ ts: '2026-12-01T10:00:00Z', stream: 'stderr', line: `line ${i}` }));
    const message = alertMessage(event('firing', alert({ context: { exitCode: 137, oomKilled: true, restartCount: 4, lastLogLines } })));
    expect(message.fields).toEqual([
      { name: 'Host', value: 'host-a' },
      { name: 'Container', value: 'api-1' },
      { name: 'Value', value: '97.12' },
      { name: 'Exit code', value: '137' },
      { name: 'OOM killed', value: 'yes' },
      { name: 'Restart count', value: '4' },
      { name: 'Last log lines', value: 'line 2\nline 3\nline 4\nline 5\nline 6' },
    ]);
  });

  it('names a host subject by itself, without container or value fields it does not have', () => {
    const message = alertMessage(event('firing', alert({ ruleName: 'Host offline', subject: { hostId: 'h1', name: 'host-a' }, value: null })));
    expect(message.title).toBe('[FIRING] Host offline — host-a');
    expect(message.fields).toEqual([{ name: 'Host', value: 'host-a' }]);
  });
});
