import { GAP_COLOURS, GAP_LABELS, type ReasonedGap } from './gaps';

const LEGEND_MAX = 4;
const clock = (ms: number) => new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The reasons of the periods shaded on the charts, the latest first (a canvas cannot say them). */
export function GapLegend({ gaps, from, to }: { gaps: ReasonedGap[] | null; from: number; to: number }) {
  const latest = (gaps ?? []).filter((gap) => gap.to > from && gap.from < to).reverse();
  if (!latest.length) return null;
  return (
    <ul className="chart-gaps" aria-label="Gaps">
      {latest.slice(0, LEGEND_MAX).map((gap) => {
        const text = `${GAP_LABELS[gap.reason]}: ${clock(gap.from)} – ${clock(gap.to)}`;
        return (
          <li key={`${gap.from}-${gap.reason}`} data-reason={gap.reason} title={text}>
            <span className="swatch" style={{ background: `var(${GAP_COLOURS[gap.reason]})` }} />
            {text}
          </li>
        );
      })}
      {latest.length > LEGEND_MAX && <li className="muted">{latest.length - LEGEND_MAX} more</li>}
    </ul>
  );
}
