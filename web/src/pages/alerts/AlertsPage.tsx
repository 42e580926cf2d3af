import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, withQuery } from '../../api';
import { live, type LiveFrame } from '../../live';
import { AlertsNav } from './AlertsNav';
import { AlertSubject, mutedLabel } from './AlertSubject';
import { formatTime, since } from './format';
import type { Alert, AlertEvent } from './types';
import { messageOf, useLoad } from './use-load';
import './alerts.css';

type StateFilter = 'all' | 'firing' | 'resolved';
interface Page {
  items: Alert[];
  nextCursor: string | null;
}

/** Firing alerts first, then the rest newest first; kept current from the `alerts` topic. */
function ordered(alerts: Alert[]): Alert[] {
  return [...alerts].sort((a, b) => (a.state === b.state ? b.startedAt.localeCompare(a.startedAt) : a.state === 'firing' ? -1 : 1));
}

export default function AlertsPage() {
  const [params] = useSearchParams();
  const [state, setState] = useState<StateFilter>((params.get('state') as StateFilter | null) ?? 'all');
  // The fleet links to one host's firing alerts: `?hostId=…&state=firing`.
  const hostId = params.get('hostId') ?? undefined;
  const { data, error, setData } = useLoad<Page>(withQuery('/api/alerts', { state, hostId, limit: 50 }));
  const [moreError, setMoreError] = useState<string>();

  useEffect(
    () =>
      live.subscribe('alerts', (frame: LiveFrame) => {
        const { alert } = frame.data as AlertEvent;
        if (!alert) return;
        const shown = (state === 'all' || alert.state === state) && (!hostId || alert.subject.hostId === hostId);
        setData((page) => page && { ...page, items: [...(shown ? [alert] : []), ...page.items.filter((a) => a.id !== alert.id)] });
      }),
    [state, hostId, setData],
  );

  const loadMore = async () => {
    if (!data?.nextCursor) return;
    try {
      const next = await api<Page>('GET', withQuery('/api/alerts', { state, hostId, limit: 50, cursor: data.nextCursor }));
      setData((page) => page && { items: [...page.items, ...next.items], nextCursor: next.nextCursor });
      setMoreError(undefined);
    } catch (failure) {
      setMoreError(messageOf(failure));
    }
  };

  return (
    <section>
      <h1>Alerts</h1>
      <AlertsNav />
      <div className="alerts-toolbar">
        <label>
          State
          <select aria-label="State" value={state} onChange={(e) => setState(e.target.value as StateFilter)}>
            <option value="all">All</option>
            <option value="firing">Firing</option>
            <option value="resolved">Resolved</option>
          </select>
        </label>
        {hostId && (
          <p>
            Alerts of one host only. <Link to="/alerts">Show every host</Link>
          </p>
        )}
      </div>
      {error && <p className="error" role="alert">{error.message}</p>}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && data.items.length === 0 && <p className="muted">No alerts.</p>}
      {data && data.items.length > 0 && (
        <div className="table-scroll panel">
          <table aria-label="Alerts">
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Severity</th>
                <th scope="col">Rule</th>
                <th scope="col">Subject</th>
                <th scope="col">Since</th>
                <th scope="col">Message</th>
                <th scope="col">Notifications</th>
              </tr>
            </thead>
            <tbody>
              {ordered(data.items).map((alert) => (
                <tr key={alert.id}>
                  <td className={`state-${alert.state}`}>{alert.state}</td>
                  <td className={`severity-${alert.severity}`}>{alert.severity}</td>
                  <td>
                    <Link to={`/alerts/${alert.id}`}>{alert.ruleName}</Link>
                  </td>
                  <td>
                    <AlertSubject subject={alert.subject} />
                  </td>
                  <td title={formatTime(alert.startedAt)}>
                    {alert.state === 'firing' ? `for ${since(alert.startedAt)}` : `${formatTime(alert.startedAt)} → ${formatTime(alert.resolvedAt)}`}
                  </td>
                  <td>{alert.message}</td>
                  <td className="muted">{mutedLabel(alert)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.nextCursor && (
        <button type="button" className="secondary" onClick={() => void loadMore()}>
          Load older alerts
        </button>
      )}
      {moreError && <p className="error" role="alert">{moreError}</p>}
    </section>
  );
}
