export interface Gap {
  from: number;
  to: number;
}

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
