import { parseDuration } from '../../config/duration.js';

/** The bounds the rules and silences API enforces (docs/alerts.md, "Validation limits"). */
export const RULE_LIMITS = {
  nameLength: 100,
  channels: 20,
  scopeHosts: 50,
  scopeContainerNames: 50,
  scopeLabels: 50,
  labelKeyLength: 255,
  labelValueLength: 1024,
  window: { min: '1s', max: '7d' },
  hostOffline: { min: '10s', max: '7d' },
  repeatEvery: { min: '1m', max: '7d' },
  count: { min: 1, max: 10_000 },
  queryLength: 500,
  commentLength: 500,
} as const;

export interface DurationBounds {
  min: string;
  max: string;
}

/** Milliseconds of a duration within its bounds, or why not (the reason follows the field's name). */
export function durationProblem(value: unknown, bounds: DurationBounds): string | undefined {
  const ms = typeof value === 'string' && value === value.trim() ? parseDuration(value) : undefined;
  if (ms === undefined) return 'must be a duration like 30s, 5m, 1h';
  if (ms < parseDuration(bounds.min)! || ms > parseDuration(bounds.max)!) return `must be between ${bounds.min} and ${bounds.max}`;
  return undefined;
}
