import { useMemo } from 'react';
import { GapLegend } from '../../charts/GapLegend';
import { RangePicker } from '../../charts/RangePicker';
import { TimeChart } from '../../charts/TimeChart';
import { useGaps } from '../../charts/useGaps';
import { useMetrics } from '../../charts/useMetrics';
import { useRange } from '../../charts/useRange';
import { formatBytes, formatNumber, formatPercent, formatRate } from '../../format';
import { hostPointsFromBuckets, hostPointsFromRaw, type HostBucket, type HostPoint, type HostSample } from './hostMetrics';

/** CPU, memory, load, disk and network of one host over the chosen range. */
export function HostCharts({ hostId }: { hostId: string }) {
  const range = useRange();
  const { points, stepMs, error, loading } = useMetrics<HostSample, HostBucket, HostPoint>(range, {
    path: `/api/hosts/${encodeURIComponent(hostId)}/metrics`,
    topic: `host:${hostId}:metrics`,
    fromRaw: hostPointsFromRaw,
    fromBuckets: hostPointsFromBuckets,
  });
  const timestamps = useMemo(() => points.map((p) => p.t), [points]);
  const series = useMemo(() => {
    const pick = (field: keyof HostPoint) => points.map((p) => p[field] as number | null);
    return {
      cpu: [{ label: 'CPU', values: pick('cpu') }],
      memory: [
        { label: 'Used', values: pick('memoryUsed') },
        { label: 'Total', values: pick('memoryTotal') },
      ],
      load: [
        { label: '1 min', values: pick('load1') },
        { label: '5 min', values: pick('load5') },
        { label: '15 min', values: pick('load15') },
      ],
      disk: [
        { label: 'Used', values: pick('diskUsed') },
        { label: 'Total', values: pick('diskTotal') },
      ],
      network: [
        { label: 'Received', values: pick('rxRate') },
        { label: 'Sent', values: pick('txRate') },
      ],
    };
  }, [points]);
  // While live, the window slides along with the newest sample.
  const to = range.live ? Math.max(range.to, timestamps.at(-1) ?? 0) : range.to;
  const from = to - (range.to - range.from);
  const gaps = useGaps(hostId, 'host_metrics', range.from, range.to, range.live);
  const common = { timestamps, stepMs, from, to, gaps, onZoom: range.setCustom };

  return (
    <section className="panel" aria-labelledby="host-charts-title">
      <h2 id="host-charts-title">Metrics</h2>
      <RangePicker range={range} />
      {error && <p className="error" role="alert">{error}</p>}
      {loading && <p className="muted">Loading metrics…</p>}
      <GapLegend gaps={common.gaps} from={common.from} to={common.to} />
      <div className="grid">
        <TimeChart title="CPU" {...common} format={(v) => formatPercent(v)} series={series.cpu} />
        <TimeChart title="Memory" {...common} format={formatBytes} series={series.memory} />
        <TimeChart title="Load" {...common} format={(v) => formatNumber(v)} series={series.load} />
        <TimeChart title="Disk" {...common} format={formatBytes} series={series.disk} />
        <TimeChart title="Network" {...common} format={formatRate} series={series.network} />
      </div>
    </section>
  );
}
