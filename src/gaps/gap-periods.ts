import { MINUTE_MS } from '../gap-ledger/minutes.js';

export const GAP_KINDS = ['host_metrics', 'container_metrics'] as const;
export type GapKind = (typeof GAP_KINDS)[number];
export const GAP_REASONS = ['agent_offline', 'not_collected', 'refused'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

/** [from, to) in epoch ms. */
export interface Span {
  from: number;
  to: number;
}

export interface GapPeriod extends Span {
  kind: GapKind;
  reason: GapReason;
}

/**
 * The missing minutes of one kind, each with its reason, consecutive minutes of one reason merged
 * into one period. A minute with refused frames is `refused` whatever the connection (an agent
 * resends what it spooled while offline: the refusal is what lost it); else a minute no connection
 * touched is `agent_offline`; else `not_collected`. `missing` spans are whole minutes, in order;
 * `connected` spans in order of their start.
 */
export function gapPeriods(kind: GapKind, missing: Span[], connected: Span[], refused: ReadonlySet<number>): GapPeriod[] {
  const periods: GapPeriod[] = [];
  let c = 0;
  for (const span of missing) {
    for (let minute = span.from; minute < span.to; minute += MINUTE_MS) {
      // A connection that ended before this minute touches no later one (missing minutes come in order).
      while (c < connected.length && connected[c].to <= minute) c++;
      const reason: GapReason = refused.has(minute) ? 'refused' : touches(connected, c, minute) ? 'not_collected' : 'agent_offline';
      const last = periods[periods.length - 1];
      if (last && last.reason === reason && last.to === minute) last.to = minute + MINUTE_MS;
      else periods.push({ from: minute, to: minute + MINUTE_MS, kind, reason });
    }
  }
  return periods;
}

/** Whether a connection from index `c` on overlaps the minute starting at `minute` (the head one has not ended, so this stops at once). */
function touches(connected: Span[], c: number, minute: number): boolean {
  for (let i = c; i < connected.length && connected[i].from < minute + MINUTE_MS; i++) if (connected[i].to > minute) return true;
  return false;
}
