import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const cssVariable = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** A tiny line of `values` over `times` (seconds), 0–100 %; `label` is what a screen reader hears. */
export function Sparkline({ times, values, label }: { times: number[]; values: number[]; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || times.length < 2) return;
    const plot = new uPlot(
      {
        width: 110,
        height: 28,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false }, y: { range: [0, 100] } },
        series: [{}, { stroke: cssVariable('--accent'), width: 1.5, points: { show: false } }],
      },
      [times, values],
      box.current,
    );
    return () => plot.destroy();
  }, [times, values]);
  if (times.length < 2) return <span className="muted">no data</span>;
  return <div ref={box} className="sparkline" role="img" aria-label={label} />;
}
