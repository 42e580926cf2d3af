import { useEffect } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api';
import { live, type LiveFrame } from '../../live';
import NotFoundPage from '../NotFoundPage';
import { AlertsNav } from './AlertsNav';
import { AlertSubject, mutedLabel } from './AlertSubject';
import { CrashContextSection } from './CrashContextSection';
import { formatTime } from './format';
import type { Alert, AlertEvent, Channel } from './types';
import { useLoad } from './use-load';
import './alerts.css';

export default function AlertPage() {
  const { alertId = '' } = useParams();
  const { data: alert, error, setData } = useLoad<Alert>(`/api/alerts/${encodeURIComponent(alertId)}`);
  const { data: channels } = useLoad<Channel[]>('/api/notification-channels');

  useEffect(
    () =>
      live.subscribe('alerts', (frame: LiveFrame) => {
        const event = frame.data as AlertEvent;
        if (event.alert?.id === alertId) setData(() => event.alert);
      }),
    [alertId, setData],
  );

  if (error instanceof ApiError && error.status === 404) return <NotFoundPage what="This alert" />;
  if (error) return <p className="error" role="alert">{error.message}</p>;
  if (!alert) return <p className="muted">Loading…</p>;

  const channelName = (id: string) => channels?.find((c) => c.id === id)?.name ?? id;
  const hasCrashFacts = alert.context && ('exitCode' in alert.context || 'lastLogLines' in alert.context);
  return (
    <section>
      <h1>Alert: {alert.ruleName}</h1>
      <AlertsNav />
      <div className="panel">
        <dl className="facts" aria-label="Alert details">
          <dt>State</dt>
          <dd className={`state-${alert.state}`}>{alert.state}</dd>
          <dt>Severity</dt>
          <dd className={`severity-${alert.severity}`}>{alert.severity}</dd>
          <dt>Subject</dt>
          <dd>
            <AlertSubject subject={alert.subject} />
          </dd>
          <dt>Started</dt>
          <dd>{formatTime(alert.startedAt)}</dd>
          <dt>Resolved</dt>
          <dd>{formatTime(alert.resolvedAt)}</dd>
          <dt>Value</dt>
          <dd>{alert.value ?? '—'}</dd>
          <dt>Message</dt>
          <dd>{alert.message}</dd>
          <dt>Muted</dt>
          <dd>{mutedLabel(alert) || 'no'}</dd>
        </dl>
      </div>

      {hasCrashFacts && <CrashContextSection context={alert.context!} />}

      <section className="panel" aria-labelledby="notifications">
        <h2 id="notifications">Notifications</h2>
        {alert.notifications.length === 0 ? (
          <p className="muted">Nobody was notified.</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="notifications">
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {alert.notifications.map((n, i) => (
                  <tr key={`${n.channelId}-${n.event ?? ''}-${i}`}>
                    <td>{channelName(n.channelId)}</td>
                    <td>{n.event ?? '—'}</td>
                    <td>{n.status}</td>
                    <td>{n.attempts}</td>
                    <td>{n.lastError ?? '—'}</td>
                    <td>{formatTime(n.sentAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
