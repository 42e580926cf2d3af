import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { live } from '../../live';
import { formatBytes, formatDuration, formatPercent } from '../../format';
import { compareBy, SortableHeader, type SortState } from './SortableHeader';

export interface ContainerRow {
  id: string;
  dockerId: string;
  name: string | null;
  image: string | null;
  state: string;
  health: string | null;
  startedAt: string | null;
  removed: boolean;
}

interface LatestSample {
  cpuPercent: number;
  memoryUsed: number;
}

type Column = 'name' | 'state' | 'health' | 'cpu' | 'memory' | 'image' | 'uptime';

const uptimeOf = (row: ContainerRow) => (row.state === 'running' && row.startedAt ? Date.now() - Date.parse(row.startedAt) : null);

/** Every container of the host with its latest CPU and memory, sortable and filterable. */
export function ContainersTable({ hostId }: { hostId: string }) {
  const [rows, setRows] = useState<ContainerRow[] | null>(null);
  const [latest, setLatest] = useState<Record<string, LatestSample>>({});
  const [error, setError] = useState('');
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortState<Column>>({ key: 'name', direction: 'ascending' });

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      api<ContainerRow[]>('GET', `/api/hosts/${encodeURIComponent(hostId)}/containers?state=all`)
        .then((found) => !cancelled && (setRows(found), setError('')))
        .catch((e: Error) => !cancelled && setError(e.message));
    void load();
    // The host topic announces inventory changes; the list is re-read then.
    const unsubscribe = live.subscribe(`host:${hostId}`, (frame) => frame.type === 'containers' && void load());
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [hostId]);

  useEffect(() => {
    if (!rows) return;
    let cancelled = false;
    // One read of the organization's newest samples; the first per container is its latest.
    api<(LatestSample & { containerId: string; hostId: string })[]>('GET', '/api/metrics/containers/history?hours=1&limit=5000')
      .then((samples) => {
        if (cancelled) return;
        const next: Record<string, LatestSample> = {};
        for (const sample of samples) if (sample.hostId === hostId && !next[sample.containerId]) next[sample.containerId] = sample;
        setLatest(next);
      })
      .catch(() => !cancelled && setLatest({}));
    return () => {
      cancelled = true;
    };
  }, [rows, hostId]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const values: Record<Column, (row: ContainerRow) => string | number | null> = {
      name: (row) => row.name ?? row.dockerId,
      state: (row) => row.state,
      health: (row) => row.health,
      cpu: (row) => latest[row.id]?.cpuPercent ?? null,
      memory: (row) => latest[row.id]?.memoryUsed ?? null,
      image: (row) => row.image,
      uptime: uptimeOf,
    };
    return (rows ?? [])
      .filter((row) => !needle || [row.name, row.image, row.state, row.health, row.dockerId].some((text) => text?.toLowerCase().includes(needle)))
      .sort(compareBy(values[sort.key], sort.direction));
  }, [rows, latest, filter, sort]);

  const header = (label: string, key: Column) => <SortableHeader label={label} sortKey={key} sort={sort} onSort={setSort} />;

  return (
    <section className="panel" aria-labelledby="containers-title">
      <h2 id="containers-title">Containers</h2>
      <label className="inline-label">
        Filter containers
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name, image, state" />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      {!rows && !error && <p className="muted">Loading containers…</p>}
      {rows && (
        <div className="table-scroll">
          <table aria-label="Containers">
            <thead>
              <tr>
                {header('Name', 'name')}
                {header('State', 'state')}
                {header('Health', 'health')}
                {header('CPU', 'cpu')}
                {header('Memory', 'memory')}
                {header('Image', 'image')}
                {header('Uptime', 'uptime')}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => {
                const uptime = uptimeOf(row);
                return (
                  <tr key={row.id} className={row.removed ? 'removed' : undefined}>
                    <td>
                      <Link to={`/containers/${row.id}`}>{row.name ?? row.dockerId.slice(0, 12)}</Link>
                      {row.removed && <span className="muted"> (removed)</span>}
                    </td>
                    <td className={`state-${row.state}`}>{row.state}</td>
                    <td className={row.health ? `health-${row.health}` : undefined}>{row.health ?? '—'}</td>
                    <td>{formatPercent(latest[row.id]?.cpuPercent)}</td>
                    <td>{formatBytes(latest[row.id]?.memoryUsed)}</td>
                    <td className="mono">{row.image ?? '—'}</td>
                    <td>{uptime === null ? '—' : formatDuration(uptime)}</td>
                  </tr>
                );
              })}
              {!shown.length && (
                <tr>
                  <td colSpan={7} className="muted">
                    {rows.length ? 'No container matches the filter.' : 'No containers reported yet.'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
