import { Link } from 'react-router';
import { relativeTime } from './relative-time';
import { Sparkline } from './Sparkline';
import type { Host } from './fleet-types';
import { useHostSummary } from './use-host-summary';

const lastValue = (values: number[]) => (values.length ? `${values[values.length - 1].toFixed(0)} %` : '');

export function HostRow({ host, now }: { host: Host; now: number }) {
  const summary = useHostSummary(host.id, host.status);
  return (
    <tr>
      <th scope="row">
        <Link to={`/hosts/${host.id}`}>{host.name}</Link>
        {host.hostname && host.hostname !== host.name && <div className="muted small">{host.hostname}</div>}
      </th>
      <td>
        <span className={`status status-${host.status}`} data-testid={`status-${host.id}`}>
          {host.status}
        </span>
      </td>
      <td title={host.lastSeenAt ?? undefined}>{relativeTime(host.lastSeenAt, now)}</td>
      <td>{host.agentVersion ?? '—'}</td>
      <td>
        <div className="spark-cell">
          {summary && <Sparkline times={summary.times} values={summary.cpu} label={`CPU over the last hour, now ${lastValue(summary.cpu) || 'unknown'}`} />}
          <span className="muted small">{summary && lastValue(summary.cpu)}</span>
        </div>
      </td>
      <td>
        <div className="spark-cell">
          {summary && <Sparkline times={summary.times} values={summary.memory} label={`Memory over the last hour, now ${lastValue(summary.memory) || 'unknown'}`} />}
          <span className="muted small">{summary && lastValue(summary.memory)}</span>
        </div>
      </td>
      <td>{summary?.runningContainers ?? '…'}</td>
      <td>
        {summary?.firingAlerts === undefined ? '…' : summary.firingAlerts > 0 ? (
          <Link className="firing" to={`/alerts?hostId=${host.id}`}>
            {summary.firingAlerts}
            {summary.moreFiring ? '+' : ''}
          </Link>
        ) : (
          0
        )}
      </td>
    </tr>
  );
}
