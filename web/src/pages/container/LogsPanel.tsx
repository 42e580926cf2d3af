import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { api, withQuery } from '../../api';
import { live } from '../../live';
import { formatClock, formatTime, toLocalInput } from '../../format';

interface LogLine {
  ts: string;
  stream: 'stdout' | 'stderr';
  line: string;
  truncated?: boolean;
}

interface LogsPage {
  items: LogLine[];
  nextCursor: string | null;
}

interface Query {
  q: string;
  stream: '' | 'stdout' | 'stderr';
  /** Show the page ending here instead of the newest. */
  to: number | null;
}

const PAGE = 200;
/** The most lines kept in memory; past it the far end is dropped. */
export const MAX_LINES = 2000;

/** A container's log lines, oldest at the top: search, stream filter, older pages, jump to a time, live tail. */
export function LogsPanel({ containerId }: { containerId: string }) {
  const [query, setQuery] = useState<Query>({ q: '', stream: '', to: null });
  const [search, setSearch] = useState('');
  const [jump, setJump] = useState(toLocalInput(Date.now()));
  const [lines, setLines] = useState<LogLine[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [atNewest, setAtNewest] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const list = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const path = `/api/containers/${encodeURIComponent(containerId)}/logs`;
  const tailing = atNewest && !query.q && query.to === null;

  const fetchPage = (pageCursor?: string) =>
    api<LogsPage>('GET', withQuery(path, { q: query.q, stream: query.stream, to: query.to === null ? undefined : new Date(query.to).toISOString(), limit: PAGE, cursor: pageCursor }));

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError('');
    fetchPage()
      .then((page) => {
        if (cancelled) return;
        setLines([...page.items].reverse());
        setCursor(page.nextCursor);
        setAtNewest(true);
        stickToBottom.current = true;
      })
      .catch((e: Error) => !cancelled && (setLines([]), setError(e.message)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [path, query]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!tailing) return;
    return live.subscribe(`container:${containerId}:logs`, (frame) => {
      const fresh = (frame.data as LogLine[]).filter((line) => !query.stream || line.stream === query.stream);
      if (fresh.length) setLines((current) => [...current, ...fresh].slice(-MAX_LINES));
    });
  }, [containerId, tailing, query.stream]);

  useLayoutEffect(() => {
    const element = list.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  const loadOlder = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await fetchPage(cursor);
      stickToBottom.current = false;
      setLines((current) => {
        const merged = [...[...page.items].reverse(), ...current];
        // Keeping the older lines means dropping the newest: the view is no longer at the newest page.
        if (merged.length > MAX_LINES) setAtNewest(false);
        return merged.slice(0, MAX_LINES);
      });
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };

  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    setQuery((current) => ({ ...current, q: search.trim() }));
  };
  const submitJump = (event: FormEvent) => {
    event.preventDefault();
    const ms = new Date(jump).getTime();
    if (Number.isFinite(ms)) setQuery((current) => ({ ...current, to: ms }));
  };

  return (
    <section className="panel logs-panel" aria-labelledby="logs-title">
      <h2 id="logs-title">Logs</h2>
      <div className="toolbar">
        <form className="inline-form" role="search" onSubmit={submitSearch}>
          <label>
            Search logs
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="text, case-insensitive" />
          </label>
          <button type="submit">Search</button>
          {query.q && (
            <button type="button" className="secondary" onClick={() => (setSearch(''), setQuery((c) => ({ ...c, q: '' })))}>
              Clear search
            </button>
          )}
        </form>
        <label>
          Stream
          <select value={query.stream} onChange={(e) => setQuery((c) => ({ ...c, stream: e.target.value as Query['stream'] }))}>
            <option value="">stdout and stderr</option>
            <option value="stdout">stdout</option>
            <option value="stderr">stderr</option>
          </select>
        </label>
        <form className="inline-form" onSubmit={submitJump}>
          <label>
            Jump to time
            <input type="datetime-local" value={jump} onChange={(e) => setJump(e.target.value)} required />
          </label>
          <button type="submit" className="secondary">
            Jump
          </button>
        </form>
        {!tailing && (
          <button type="button" className="secondary" onClick={() => setQuery((c) => ({ ...c, to: null, q: c.q }))}>
            Newest
          </button>
        )}
      </div>
      <p className="muted logs-status" aria-live="polite">
        {loading ? 'Loading…' : tailing ? 'Live: new lines appear as they are written.' : query.to !== null ? `Lines up to ${formatTime(query.to)}.` : 'Not live while searching.'}
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="button" className="secondary" onClick={() => void loadOlder()} disabled={!cursor || loading}>
        Older
      </button>
      {!cursor && !loading && lines.length > 0 && <span className="muted"> No older lines.</span>}
      <div
        ref={list}
        className="log-lines mono"
        role="log"
        aria-label="Log lines"
        aria-live={tailing ? 'polite' : 'off'}
        tabIndex={0}
        data-lines={lines.length}
        onScroll={(e) => {
          const element = e.currentTarget;
          stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }}
      >
        {lines.map((line, i) => (
          <div key={`${line.ts}-${i}`} className={`log-line stream-${line.stream}`}>
            <time dateTime={line.ts} title={formatTime(line.ts)}>
              {formatClock(line.ts)}
            </time>{' '}
            <span className="log-stream">{line.stream}</span> <span className="log-text">{line.line}</span>
            {line.truncated && <span className="muted"> [cut]</span>}
          </div>
        ))}
        {!lines.length && !loading && <p className="muted">No log lines{query.q ? ' match the search' : ''}.</p>}
      </div>
    </section>
  );
}
