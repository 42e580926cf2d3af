import { ApiError } from '../../api';
import { formatBytes, formatTime } from '../alerts/format';
import { useLoad } from '../alerts/use-load';

interface StorageHealth {
  databaseSizeBytes: number;
  tables: Record<string, { rows: number; rowsExact?: boolean; bytes: number; oldest: string | null; newest: string | null }>;
  retention: Record<string, string>;
  buffers: Record<string, { pendingRows: number; flushedRows: number; failedFlushes: number }>;
  ingest: { rowsPerSecond: number };
}

export function StorageHealthSection() {
  const { data, error } = useLoad<StorageHealth>('/api/storage/health');
  return (
    <section className="panel" aria-labelledby="storage-heading">
      <h2 id="storage-heading">Storage health</h2>
      {error instanceof ApiError && error.status === 403 ? (
        <p className="muted">Only instance operators can see storage health.</p>
      ) : error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : !data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="settings-facts">
            <dt>Database size</dt>
            <dd>{formatBytes(data.databaseSizeBytes)}</dd>
            <dt>Ingest rate</dt>
            <dd>{data.ingest?.rowsPerSecond?.toFixed(1) ?? "—"} rows/s</dd>
          </dl>
          <div className="table-scroll">
            <table aria-label="Tables">
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Size</th>
                  <th scope="col">Oldest</th>
                  <th scope="col">Newest</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(data.tables).map(([name, t]) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td>
                      {t.rowsExact === false ? '≈ ' : ''}
                      {t.rows.toLocaleString()}
                    </td>
                    <td>{formatBytes(t.bytes)}</td>
                    <td>{formatTime(t.oldest)}</td>
                    <td>{formatTime(t.newest)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-scroll">
            <table aria-label="Retention">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Kept for</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(data.retention).map(([kind, duration]) => (
                  <tr key={kind}>
                    <td>{kind}</td>
                    <td>{String(duration)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
