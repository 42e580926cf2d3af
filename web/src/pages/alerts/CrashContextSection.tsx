import { Link } from 'react-router';
import { ContextChart } from './ContextChart';
import { formatBytes, formatPercent, formatTime } from './format';
import type { CrashContext } from './types';

/** What was true when the container died: the facts, its last lines, the minutes before, what ran beside it. */
export function CrashContextSection({ context }: { context: CrashContext }) {
  const metrics = context.metrics ?? [];
  return (
    <section className="panel" aria-labelledby="crash-context">
      <h2 id="crash-context">Crash context</h2>
      <dl className="facts" aria-label="Crash facts">
        <dt>Exit code</dt>
        <dd>{context.exitCode ?? '—'}</dd>
        <dt>OOM killed</dt>
        <dd>{context.oomKilled ? 'yes' : 'no'}</dd>
        <dt>Restart count</dt>
        <dd>{context.restartCount ?? '—'}</dd>
      </dl>

      <h3 id="last-log-lines">Last log lines</h3>
      {context.lastLogLines?.length ? (
        <pre className="crash-log-lines" aria-labelledby="last-log-lines" tabIndex={0}>
          {context.lastLogLines.map((l) => `${formatTime(l.ts)} ${l.stream === 'stderr' ? 'ERR' : 'OUT'} ${l.line}`).join('\n')}
        </pre>
      ) : (
        <p className="muted">No log lines.</p>
      )}

      <h3 id="metrics-before">Metrics of the 5 minutes before</h3>
      {metrics.length ? (
        <>
          <ContextChart metrics={metrics} />
          <details>
            <summary>Metrics as a table</summary>
            <div className="table-scroll">
              <table aria-labelledby="metrics-before">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">CPU</th>
                    <th scope="col">Memory used</th>
                    <th scope="col">Memory limit</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.map((m) => (
                    <tr key={m.ts}>
                      <td>{formatTime(m.ts)}</td>
                      <td>{formatPercent(m.cpuPercent)}</td>
                      <td>{formatBytes(m.memoryUsed)}</td>
                      <td>{formatBytes(m.memoryLimit)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      ) : (
        <p className="muted">No metrics.</p>
      )}

      <h3 id="top-processes">Top processes</h3>
      {context.topProcesses?.length ? (
        <div className="table-scroll">
          <table aria-labelledby="top-processes">
            <thead>
              <tr>
                <th scope="col">PID</th>
                <th scope="col">Name</th>
                <th scope="col">CPU</th>
                <th scope="col">Memory (RSS)</th>
              </tr>
            </thead>
            <tbody>
              {context.topProcesses.map((p) => (
                <tr key={p.pid}>
                  <td>{p.pid}</td>
                  <td>{p.name}</td>
                  <td>{formatPercent(p.cpuPercent)}</td>
                  <td>{formatBytes(p.memoryRss)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No process snapshot.</p>
      )}

      <h3 id="neighbours">Neighbours</h3>
      {context.neighbours?.length ? (
        <div className="table-scroll">
          <table aria-labelledby="neighbours">
            <thead>
              <tr>
                <th scope="col">Container</th>
                <th scope="col">CPU</th>
                <th scope="col">Memory used</th>
              </tr>
            </thead>
            <tbody>
              {context.neighbours.map((n) => (
                <tr key={n.containerId}>
                  <td>
                    <Link to={`/containers/${n.containerId}`}>{n.name ?? n.containerId}</Link>
                  </td>
                  <td>{formatPercent(n.cpuPercent)}</td>
                  <td>{formatBytes(n.memoryUsed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No neighbours.</p>
      )}
    </section>
  );
}
