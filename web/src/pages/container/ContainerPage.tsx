import { useCallback, useEffect, useState } from 'react';
import { live, type LiveFrame } from '../../live';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../api';
import { formatDuration, formatTime } from '../../format';
import NotFoundPage from '../NotFoundPage';
import { ContainerActions } from './ContainerActions';
import { ContainerAlerts } from './ContainerAlerts';
import { ContainerCharts } from './ContainerCharts';
import { ContainerEvents } from './ContainerEvents';
import { LogsPanel } from './LogsPanel';
import '../host/host.css';
import './container.css';

interface Container {
  id: string;
  hostId: string;
  dockerId: string;
  name: string | null;
  image: string | null;
  state: string;
  status: string | null;
  health: string | null;
  startedAt: string | null;
  exitCode: number | null;
  restartCount: number | null;
  removed: boolean;
}

interface HostName {
  name: string;
}

/** One container: its header and actions, charts, logs, events and alerts. */
export default function ContainerPage() {
  const { containerId = '' } = useParams();
  const [container, setContainer] = useState<Container | null>(null);
  const [hostName, setHostName] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const load = useCallback(() => {
    api<Container>('GET', `/api/containers/${encodeURIComponent(containerId)}`)
      .then(setContainer)
      .catch((e: Error) => setError(e));
  }, [containerId]);

  useEffect(() => {
    setContainer(null);
    setError(null);
    load();
  }, [load]);

  // The agent reports a new state in its inventory, which may come after the command's result:
  // follow the host's inventory and the container's events rather than only re-reading on results.
  useEffect(() => {
    if (!container?.hostId) return;
    const reread = (frame: LiveFrame) => (frame.type === 'containers' || frame.type === 'container_events') && load();
    const stops = [live.subscribe(`host:${container.hostId}`, reread), live.subscribe(`container:${containerId}:events`, reread)];
    return () => stops.forEach((stop) => stop());
  }, [container?.hostId, containerId, load]);

  useEffect(() => {
    if (!container?.hostId) return;
    api<HostName>('GET', `/api/hosts/${encodeURIComponent(container.hostId)}`)
      .then((host) => setHostName(host.name))
      .catch(() => setHostName(null));
  }, [container?.hostId]);

  if (error instanceof ApiError && error.status === 404) return <NotFoundPage what="This container" />;
  if (error) return <p className="error" role="alert">{error.message}</p>;
  if (!container) return <p className="muted">Loading container…</p>;

  const name = container.name ?? container.dockerId.slice(0, 12);
  return (
    <>
      <header className="page-header container-header">
        <h1>{name}</h1>
        <span className={`state-${container.state}`} data-testid="container-state">
          {container.state}
        </span>
        {container.health && <span className={`health-${container.health}`} data-testid="container-health">{container.health}</span>}
        {container.removed && <span className="muted">removed</span>}
        <dl>
          <div>
            <dt>Host</dt>
            <dd>
              <Link to={`/hosts/${container.hostId}`}>{hostName ?? 'host'}</Link>
            </dd>
          </div>
          <div>
            <dt>Image</dt>
            <dd className="mono">{container.image ?? '—'}</dd>
          </div>
          {container.state === 'running' && container.startedAt && (
            <div>
              <dt>Up</dt>
              <dd title={formatTime(container.startedAt)}>{formatDuration(Date.now() - Date.parse(container.startedAt))}</dd>
            </div>
          )}
          {container.exitCode !== null && container.state !== 'running' && (
            <div>
              <dt>Exit code</dt>
              <dd>{container.exitCode}</dd>
            </div>
          )}
          {!!container.restartCount && (
            <div>
              <dt>Restarts</dt>
              <dd>{container.restartCount}</dd>
            </div>
          )}
        </dl>
        {!container.removed && <ContainerActions containerId={container.id} name={name} onFinished={load} />}
      </header>
      <ContainerCharts containerId={container.id} hostId={container.hostId} />
      <LogsPanel containerId={container.id} />
      <div className="grid">
        <ContainerEvents containerId={container.id} />
        <ContainerAlerts containerId={container.id} />
      </div>
    </>
  );
}
