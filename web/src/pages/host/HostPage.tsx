import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, ApiError } from '../../api';
import { live } from '../../live';
import { formatBytes, formatRelative, formatTime } from '../../format';
import NotFoundPage from '../NotFoundPage';
import { ContainersTable } from './ContainersTable';
import { HostCharts } from './HostCharts';
import { ProcessesTable } from './ProcessesTable';
import './host.css';

interface Host {
  id: string;
  name: string;
  status: 'online' | 'offline';
  lastSeenAt: string | null;
  agentVersion: string | null;
  hostname: string | null;
  os: string | null;
  dockerVersion: string | null;
  cpus: number | null;
  memoryTotal: number | null;
}

/** One host: its status, charts, containers and processes. */
export default function HostPage() {
  const { hostId = '' } = useParams();
  const [host, setHost] = useState<Host | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);

  useEffect(() => {
    let cancelled = false;
    setHost(null);
    setError(null);
    api<Host>('GET', `/api/hosts/${encodeURIComponent(hostId)}`)
      .then((found) => !cancelled && setHost(found))
      .catch((e: Error) => !cancelled && setError(e));
    const unsubscribe = live.subscribe(`host:${hostId}`, (frame) => {
      if (frame.type !== 'host_status') return;
      const { status, at } = frame.data as { status: Host['status']; at: string };
      setHost((current) => (current ? { ...current, status, lastSeenAt: at } : current));
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [hostId]);

  if (error instanceof ApiError && error.status === 404) return <NotFoundPage what="This host" />;
  if (error) return <p className="error" role="alert">{error.message}</p>;
  if (!host) return <p className="muted">Loading host…</p>;

  return (
    <>
      <header className="page-header">
        <h1>{host.name}</h1>
        <span className={`status-${host.status}`} data-testid="host-status">
          {host.status}
        </span>
        <dl>
          <div>
            <dt>Last seen</dt>
            <dd title={formatTime(host.lastSeenAt)}>{formatRelative(host.lastSeenAt)}</dd>
          </div>
          {host.hostname && (
            <div>
              <dt>Hostname</dt>
              <dd>{host.hostname}</dd>
            </div>
          )}
          {host.os && (
            <div>
              <dt>OS</dt>
              <dd>{host.os}</dd>
            </div>
          )}
          {host.cpus !== null && (
            <div>
              <dt>CPUs</dt>
              <dd>{host.cpus}</dd>
            </div>
          )}
          {host.memoryTotal !== null && (
            <div>
              <dt>Memory</dt>
              <dd>{formatBytes(host.memoryTotal)}</dd>
            </div>
          )}
          {host.agentVersion && (
            <div>
              <dt>Agent</dt>
              <dd>{host.agentVersion}</dd>
            </div>
          )}
        </dl>
      </header>
      <HostCharts hostId={host.id} />
      <ContainersTable hostId={host.id} />
      <ProcessesTable hostId={host.id} />
    </>
  );
}
