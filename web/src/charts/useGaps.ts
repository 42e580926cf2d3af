import { useEffect, useState } from 'react';
import { api, withQuery } from '../api';
import type { GapReason, ReasonedGap } from './gaps';

interface GapRow {
  from: string;
  to: string;
  reason: GapReason;
}

/** How often a live range asks again: gaps only ever end at whole minutes. */
const REFRESH_MS = 60_000;

/**
 * The host's gaps of one kind over the range, as the server explains them; null while unknown
 * (loading, or the request failed), for the charts to fall back on gaps inferred from the points.
 */
export function useGaps(hostId: string | undefined, kind: 'host_metrics' | 'container_metrics', from: number, to: number, live: boolean): ReasonedGap[] | null {
  const [gaps, setGaps] = useState<ReasonedGap[] | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [live]);

  useEffect(() => {
    if (!hostId) return;
    let cancelled = false;
    const path = withQuery(`/api/hosts/${encodeURIComponent(hostId)}/gaps`, { from: new Date(from).toISOString(), to: new Date(live ? Date.now() : to).toISOString(), kind });
    api<GapRow[]>('GET', path)
      .then((rows) => !cancelled && setGaps(rows.map((row) => ({ from: Date.parse(row.from), to: Date.parse(row.to), reason: row.reason }))))
      .catch(() => !cancelled && setGaps(null));
    return () => {
      cancelled = true;
    };
  }, [hostId, kind, from, to, live, tick]);

  return gaps;
}
