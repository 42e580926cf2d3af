import { useEffect, useMemo, useState } from 'react';
import { api, withQuery } from '../api';
import { live } from '../live';
import { pickBucket } from './bucket';
import type { TimeRange } from './useRange';

export interface MetricsState<Point> {
  points: Point[];
  stepMs: number;
  error: string;
  loading: boolean;
}

interface Source<Raw, Bucket, Point> {
  /** e.g. `/api/hosts/<id>/metrics`. */
  path: string;
  /** Live topic whose frames carry raw samples, appended while the range ends at now. */
  topic: string;
  /** Raw samples oldest first → points (counters become rates against the previous sample). */
  fromRaw(samples: Raw[], previous?: Raw): Point[];
  fromBuckets(rows: Bucket[], stepMs: number): Point[];
}

const MAX_KEPT = 5000;
const chartWidth = () => Math.max(320, Math.min(window.innerWidth, 1400) / (window.innerWidth > 900 ? 2 : 1) - 40);

/** A range of metrics as chart points, with live samples appended while the range ends at now. */
export function useMetrics<Raw extends { ts: string }, Bucket, Point>(range: TimeRange, source: Source<Raw, Bucket, Point>): MetricsState<Point> {
  const { bucket, stepMs } = useMemo(() => pickBucket(range.from, range.to, chartWidth()), [range.from, range.to]);
  const [state, setState] = useState<MetricsState<Point>>({ points: [], stepMs, error: '', loading: true });
  const { path, topic } = source;

  useEffect(() => {
    let cancelled = false;
    let lastRaw: Raw | undefined;
    let loaded = false;
    const pending: Raw[] = [];
    setState((s) => ({ ...s, loading: true, error: '' }));

    const append = (samples: Raw[]) => {
      const fresh = samples.filter((s) => Date.parse(s.ts) > (lastRaw ? Date.parse(lastRaw.ts) : range.from)).sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
      if (!fresh.length) return;
      const points = source.fromRaw(fresh, lastRaw);
      lastRaw = fresh[fresh.length - 1];
      setState((s) => ({ ...s, points: [...s.points, ...points].slice(-MAX_KEPT) }));
    };
    const unsubscribe = range.live
      ? live.subscribe(topic, (frame) => {
          const samples = frame.data as Raw[];
          if (loaded) append(samples);
          else pending.push(...samples);
        })
      : () => {};

    api<(Raw | Bucket)[]>('GET', withQuery(path, { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), bucket, limit: 5000 }))
      .then((rows) => {
        if (cancelled) return;
        const oldestFirst = [...rows].reverse();
        const points = bucket ? source.fromBuckets(oldestFirst as Bucket[], stepMs) : source.fromRaw(oldestFirst as Raw[]);
        if (!bucket) lastRaw = (oldestFirst as Raw[]).at(-1);
        setState({ points, stepMs, error: '', loading: false });
        loaded = true;
        append(pending);
      })
      .catch((error: Error) => !cancelled && setState({ points: [], stepMs, error: error.message, loading: false }));
    return () => {
      cancelled = true;
      unsubscribe();
    };
    // The source's functions are stable in meaning; only the path, topic and range matter.
  }, [path, topic, range.from, range.to, range.live, bucket, stepMs]); // eslint-disable-line react-hooks/exhaustive-deps

  return state;
}

/** Bytes per second between two cumulative counter readings; null across a reset. */
export function counterRate(current: number, previous: number | undefined, seconds: number): number | null {
  if (previous === undefined || seconds <= 0 || current < previous) return null;
  return (current - previous) / seconds;
}
