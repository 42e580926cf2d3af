import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { findGaps, GAP_COLOURS, type Gap, type GapReason, type ReasonedGap } from './gaps';
import './charts.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

interface TimeChartProps {
  /** The chart's name; its accessible name is "<title> chart". */
  title: string;
  /** Epoch milliseconds, oldest first, one per value of every series. */
  timestamps: number[];
  series: ChartSeries[];
  format: (value: number) => string;
  /** Spacing of the points: stretches longer than about 3 steps without one are shaded as gaps. */
  stepMs: number;
  from: number;
  to: number;
  /** The periods without data as the server explains them; without them (unknown), stretches without points are shaded instead. */
  gaps?: ReasonedGap[] | null;
  /** Dragging across the chart selects a range. */
  onZoom?: (from: number, to: number) => void;
  height?: number;
}

const PALETTE = ['--accent', '--ok', '--warn', '--bad', '--muted'];
const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** A uPlot time series that follows its container's width and the page's colours. */
export function TimeChart({ title, timestamps, series, format, stepMs, from, to, gaps, onZoom, height = 200 }: TimeChartProps) {
  const body = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [width, setWidth] = useState(0);
  const latest = useRef({ onZoom, timestamps, stepMs, from, to, gaps });
  latest.current = { onZoom, timestamps, stepMs, from, to, gaps };

  useEffect(() => {
    const element = body.current!;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const seriesKey = series.map((s) => s.label).join('|');
  useEffect(() => {
    if (!width) return;
    const axis = { stroke: css('--muted'), grid: { stroke: css('--chart-grid') }, ticks: { stroke: css('--chart-grid') } };
    const options: uPlot.Options = {
      width,
      height,
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 80, values: (_u, ticks) => ticks.map((tick) => format(tick)) }],
      series: [
        {},
        ...series.map((s, i) => ({ label: s.label, stroke: css(PALETTE[i % PALETTE.length]), width: 1.5, value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) })),
      ],
      hooks: {
        drawClear: [(u) => shadeGaps(u, latest.current)],
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const start = u.posToVal(u.select.left, 'x') * 1000;
            const end = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            latest.current.onZoom?.(Math.round(start), Math.round(end));
          },
        ],
      },
    };
    const instance = new uPlot(options, toData(timestamps, series), body.current!);
    instance.setScale('x', { min: from / 1000, max: to / 1000 });
    plot.current = instance;
    return () => {
      instance.destroy();
      plot.current = null;
    };
    // Rebuilt on size or series change; data updates go through setData below.
  }, [width, height, seriesKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const instance = plot.current;
    if (!instance) return;
    instance.setData(toData(timestamps, series), false);
    instance.setScale('x', { min: from / 1000, max: to / 1000 });
  }, [timestamps, series, from, to, gaps]);


  return (
    <figure className="time-chart" aria-label={`${title} chart`} data-points={timestamps.length} role="figure">
      <h3>{title}</h3>
      <div ref={body} className="chart-body" />
      {!timestamps.length && <p className="chart-empty">No data in this range.</p>}
    </figure>
  );
}

function toData(timestamps: number[], series: ChartSeries[]): uPlot.AlignedData {
  return [timestamps.map((ms) => ms / 1000), ...series.map((s) => s.values)];
}

function shadeGaps(u: uPlot, { timestamps, stepMs, from, to, gaps }: { timestamps: number[]; stepMs: number; from: number; to: number; gaps?: ReasonedGap[] | null }) {
  const periods: Array<Gap & { reason?: GapReason }> = gaps ?? findGaps(timestamps, stepMs, from, Math.min(to, Date.now()));
  if (!periods.length) return;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.globalAlpha = gaps ? 0.18 : 0.6;
  for (const gap of periods) {
    ctx.fillStyle = css(gap.reason ? GAP_COLOURS[gap.reason] : '--chart-grid');
    const left = Math.max(bbox.left, u.valToPos(gap.from / 1000, 'x', true));
    const right = Math.min(bbox.left + bbox.width, u.valToPos(gap.to / 1000, 'x', true));
    if (right > left) ctx.fillRect(left, bbox.top, right - left, bbox.height);
  }
  ctx.restore();
}
