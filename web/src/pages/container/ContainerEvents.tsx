import { useEffect, useState } from 'react';
import { api } from '../../api';
import { live } from '../../live';
import { formatRelative, formatTime } from '../../format';

interface ContainerEvent {
  ts: string;
  action: string;
  exitCode?: number | null;
  health?: string | null;
}

const KEPT = 100;

/** What the engine reported about the container, newest first, live. */
export function ContainerEvents({ containerId }: { containerId: string }) {
  const [events, setEvents] = useState<ContainerEvent[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let cancelled = false;
    api<ContainerEvent[]>('GET', `/api/containers/${encodeURIComponent(containerId)}/events?limit=${KEPT}&from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`)
      .then((found) => !cancelled && setEvents((pushed) => [...(pushed ?? []), ...found].slice(0, KEPT)))
      .catch((e: Error) => !cancelled && setError(e.message));
    const unsubscribe = live.subscribe(`container:${containerId}:events`, (frame) => {
      const fresh = [...(frame.data as ContainerEvent[])].sort((a, b) => b.ts.localeCompare(a.ts));
      setEvents((current) => [...fresh, ...(current ?? [])].slice(0, KEPT));
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [containerId]);

  return (
    <section className="panel" aria-labelledby="events-title">
      <h2 id="events-title">Events</h2>
      {error && <p className="error" role="alert">{error}</p>}
      {events && !events.length && <p className="muted">No events in the last 30 days.</p>}
      {!!events?.length && (
        <ul className="event-list" aria-label="Container events">
          {events.map((event, i) => (
            <li key={`${event.ts}-${event.action}-${i}`}>
              <time dateTime={event.ts} title={formatTime(event.ts)}>
                {formatRelative(event.ts)}
              </time>{' '}
              <strong>{event.action}</strong>
              {event.exitCode !== null && event.exitCode !== undefined && <> exit code {event.exitCode}</>}
              {event.health && <> {event.health}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
