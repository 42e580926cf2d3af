import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CrashContext } from './types';

/** CPU and memory (% of limit) over the minutes before the crash. */
export function ContextChart({ metrics }: { metrics: NonNullable<CrashContext['metrics']> }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || metrics.length < 2) return;
    const rows = [...metrics].sort((a, b) => a.ts.localeCompare(b.ts));
    const css = getComputedStyle(document.documentElement);
    const colour = (name: string) => css.getPropertyValue(name).trim();
    const data: uPlot.AlignedData = [
      rows.map((r) => new Date(r.ts).getTime() / 1000),
      rows.map((r) => r.cpuPercent),
      rows.map((r) => (r.memoryLimit ? (r.memoryUsed / r.memoryLimit) * 100 : null)),
    ];
    const grid = { stroke: colour('--chart-grid') };
    const axis = { stroke: colour('--muted'), grid, ticks: grid };
    const plot = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: 200,
        series: [{}, { label: 'CPU %', stroke: colour('--accent') }, { label: 'Memory % of limit', stroke: colour('--warn') }],
        axes: [axis, axis],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height: 200 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [metrics]);
  return <div ref={box} className="chart" role="img" aria-label="CPU and memory in the 5 minutes before" />;
}
