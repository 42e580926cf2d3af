import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../../api';
import { formatTime } from '../../format';

interface Alert {
  id: string;
  ruleName: string;
  severity: string;
  state: 'firing' | 'resolved';
  startedAt: string;
  resolvedAt: string | null;
  message: string | null;
  silenced: boolean;
}

/** The container's alerts, firing and resolved, each linking to its page. */
export function ContainerAlerts({ containerId }: { containerId: string }) {
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let cancelled = false;
    api<{ items: Alert[] }>('GET', withQuery('/api/alerts', { containerId, state: 'all', limit: 50 }))
      .then((page) => !cancelled && setAlerts(page.items))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [containerId]);

  return (
    <section className="panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alert history</h2>
      {error && <p className="error" role="alert">{error}</p>}
      {alerts && !alerts.length && <p className="muted">No alerts for this container.</p>}
      {!!alerts?.length && (
        <div className="table-scroll">
          <table aria-label="Alert history">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Severity</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Resolved</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <tr key={alert.id}>
                  <td>
                    <Link to={`/alerts/${alert.id}`}>{alert.ruleName}</Link>
                    {alert.silenced && <span className="muted"> (silenced)</span>}
                  </td>
                  <td className={`severity-${alert.severity}`}>{alert.severity}</td>
                  <td>{alert.state}</td>
                  <td>{formatTime(alert.startedAt)}</td>
                  <td>{formatTime(alert.resolvedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
