import { useEffect, useState, type FormEvent } from 'react';
import { api, withQuery } from '../../api';
import { formatBytes, formatPercent, formatTime, toLocalInput } from '../../format';

interface ProcessRow {
  pid: number;
  name: string;
  command: string;
  user: string;
  cpuPercent: number;
  memoryRss: number;
  memoryPercent: number;
  threads: number;
  state: string;
}

interface Snapshot {
  ts: string | null;
  processes: ProcessRow[];
}

const TOP = 25;

/** The host's busiest processes, from the latest snapshot or the one nearest a chosen time. */
export function ProcessesTable({ hostId }: { hostId: string }) {
  const [by, setBy] = useState<'cpu' | 'memory'>('cpu');
  const [at, setAt] = useState<number | null>(null);
  const [atInput, setAtInput] = useState(toLocalInput(Date.now()));
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let cancelled = false;
    setError('');
    api<Snapshot>('GET', withQuery(`/api/hosts/${encodeURIComponent(hostId)}/processes`, { at: at === null ? undefined : new Date(at).toISOString() }))
      .then((found) => !cancelled && setSnapshot(found))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [hostId, at]);

  const chooseTime = (event: FormEvent) => {
    event.preventDefault();
    const ms = new Date(atInput).getTime();
    if (Number.isFinite(ms)) setAt(ms);
  };

  const top = [...(snapshot?.processes ?? [])].sort((a, b) => (by === 'cpu' ? b.cpuPercent - a.cpuPercent : b.memoryRss - a.memoryRss)).slice(0, TOP);

  return (
    <section className="panel" aria-labelledby="processes-title">
      <h2 id="processes-title">Processes</h2>
      <div className="toolbar">
        <div role="group" aria-label="Sort processes by">
          <button type="button" className={by === 'cpu' ? '' : 'secondary'} aria-pressed={by === 'cpu'} onClick={() => setBy('cpu')}>
            Top by CPU
          </button>{' '}
          <button type="button" className={by === 'memory' ? '' : 'secondary'} aria-pressed={by === 'memory'} onClick={() => setBy('memory')}>
            Top by memory
          </button>
        </div>
        <form className="inline-form" onSubmit={chooseTime}>
          <label>
            Snapshot at
            <input type="datetime-local" value={atInput} onChange={(e) => setAtInput(e.target.value)} required />
          </label>
          <button type="submit" className="secondary">
            Show snapshot
          </button>
          {at !== null && (
            <button type="button" className="secondary" onClick={() => setAt(null)}>
              Latest
            </button>
          )}
        </form>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {snapshot && <p className="muted">{snapshot.ts ? `Snapshot of ${formatTime(snapshot.ts)}` : 'No process snapshot yet.'}</p>}
      {snapshot?.processes.length ? (
        <div className="table-scroll">
          <table aria-label="Processes">
            <thead>
              <tr>
                <th scope="col">PID</th>
                <th scope="col">Name</th>
                <th scope="col">User</th>
                <th scope="col">CPU</th>
                <th scope="col">Memory</th>
                <th scope="col">Threads</th>
                <th scope="col">State</th>
                <th scope="col">Command</th>
              </tr>
            </thead>
            <tbody>
              {top.map((process) => (
                <tr key={process.pid}>
                  <td>{process.pid}</td>
                  <td>{process.name}</td>
                  <td>{process.user}</td>
                  <td>{formatPercent(process.cpuPercent)}</td>
                  <td>
                    {formatBytes(process.memoryRss)} <span className="muted">({formatPercent(process.memoryPercent)})</span>
                  </td>
                  <td>{process.threads}</td>
                  <td>{process.state}</td>
                  <td className="mono command">{process.command}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
