export interface Gap {
  from: number;
  to: number;
}

export type GapReason = 'agent_offline' | 'not_collected' | 'refused';

/** A period without data as the server explains it (GET /api/hosts/:hostId/gaps). */
export interface ReasonedGap extends Gap {
  reason: GapReason;
}

export const GAP_LABELS: Record<GapReason, string> = { agent_offline: 'Agent offline', not_collected: 'Not collected', refused: 'Refused' };
/** The page colour each reason is shaded with. */
export const GAP_COLOURS: Record<GapReason, string> = { agent_offline: '--bad', not_collected: '--muted', refused: '--warn' };

/** Stretches of [from, to] longer than about three steps without a point (timestamps oldest first). */
export function findGaps(timestamps: number[], stepMs: number, from: number, to: number): Gap[] {
  const longest = stepMs * 3;
  const gaps: Gap[] = [];
  let previous = from;
  for (const ts of [...timestamps, to]) {
    if (ts - previous > longest) gaps.push({ from: previous, to: ts });
    previous = Math.max(previous, ts);
  }
  return gaps;
}
