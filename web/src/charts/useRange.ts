import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export const PRESETS: Record<string, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export interface TimeRange {
  from: number;
  to: number;
  /** Whether the range ends at now, so live frames extend it. */
  live: boolean;
  /** The preset in use, or `custom`. */
  preset: string;
  setPreset(preset: string): void;
  setCustom(from: number, to: number): void;
  backToNow(): void;
}

function parseTime(value: string | null): number | null {
  if (!value) return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The chart range, kept in the URL so it can be bookmarked: `?range=1h` (ending now, live) or
 * `?from=…&to=…` (ISO or epoch ms, fixed).
 */
export function useRange(defaultPreset = '1h'): TimeRange {
  const [params, setParams] = useSearchParams();
  const fromParam = parseTime(params.get('from'));
  const toParam = parseTime(params.get('to'));
  const rangeParam = params.get('range');
  const preset = fromParam !== null && toParam !== null && fromParam < toParam ? 'custom' : rangeParam && PRESETS[rangeParam] ? rangeParam : defaultPreset;
  // A fresh "now" each time the range is chosen, not on every render.
  const now = useMemo(() => Date.now(), [preset, rangeParam, fromParam, toParam]); // eslint-disable-line react-hooks/exhaustive-deps

  const update = useCallback(
    (change: (next: URLSearchParams) => void) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          change(next);
          return next;
        },
        { replace: false },
      ),
    [setParams],
  );

  return {
    from: preset === 'custom' ? fromParam! : now - PRESETS[preset],
    to: preset === 'custom' ? toParam! : now,
    live: preset !== 'custom',
    preset,
    setPreset: (value) =>
      update((next) => {
        next.delete('from');
        next.delete('to');
        next.set('range', value);
      }),
    setCustom: (from, to) =>
      update((next) => {
        next.set('from', new Date(from).toISOString());
        next.set('to', new Date(to).toISOString());
      }),
    backToNow: () =>
      update((next) => {
        next.delete('from');
        next.delete('to');
      }),
  };
}
