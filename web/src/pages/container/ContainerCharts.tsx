import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { GapLegend } from '../../charts/GapLegend';
import { RangePicker } from '../../charts/RangePicker';
import { TimeChart } from '../../charts/TimeChart';
import { useGaps } from '../../charts/useGaps';
import { useMetrics } from '../../charts/useMetrics';
import { useRange } from '../../charts/useRange';
import { formatBytes, formatPercent, formatRate } from '../../format';
import { containerPointsFromBuckets, containerPointsFromRaw, type ContainerBucket, type ContainerPoint, type ContainerSample } from './containerMetrics';

/**
 * CPU, memory against its limit, network and block I/O of one container over the chosen range. The
 * shaded gaps are the host's container data (no container of the host reported), with their reason.
 */
export function ContainerCharts({ containerId, hostId }: { containerId: string; hostId?: string }) {
  const range = useRange();
  const path = `/api/containers/${encodeURIComponent(containerId)}/metrics`;
  const { points, stepMs, error, loading } = useMetrics<ContainerSample, ContainerBucket, ContainerPoint>(range, {
    path,
    topic: `container:${containerId}:metrics`,
    fromRaw: containerPointsFromRaw,
    fromBuckets: containerPointsFromBuckets,
  });
  // Buckets carry no limit: the latest sample's stands in for the whole range.
  const [currentLimit, setCurrentLimit] = useState<number | null>(null);
  useEffect(() => {
    api<ContainerSample[]>('GET', `${path}?limit=1&from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}`)
      .then((samples) => setCurrentLimit(samples[0]?.memoryLimit ?? null))
      .catch(() => setCurrentLimit(null));
  }, [path]);

  const timestamps = useMemo(() => points.map((p) => p.t), [points]);
  const series = useMemo(() => {
    const pick = (field: keyof ContainerPoint) => points.map((p) => p[field]);
    return {
      cpu: [{ label: 'CPU', values: pick('cpu') }],
      memory: [
        { label: 'Used', values: pick('memoryUsed') },
        { label: 'Limit', values: points.map((p) => p.memoryLimit ?? currentLimit) },
      ],
      network: [
        { label: 'Received', values: pick('rxRate') },
        { label: 'Sent', values: pick('txRate') },
      ],
      block: [
        { label: 'Read', values: pick('readRate') },
        { label: 'Written', values: pick('writeRate') },
      ],
    };
  }, [points, currentLimit]);
  // While live, the window slides along with the newest sample.
  const to = range.live ? Math.max(range.to, timestamps.at(-1) ?? 0) : range.to;
  const gaps = useGaps(hostId, 'container_metrics', range.from, range.to, range.live);
  const common = { timestamps, stepMs, from: to - (range.to - range.from), to, gaps, onZoom: range.setCustom };

  return (
    <section className="panel" aria-labelledby="container-charts-title">
      <h2 id="container-charts-title">Metrics</h2>
      <RangePicker range={range} />
      {error && <p className="error" role="alert">{error}</p>}
      {loading && <p className="muted">Loading metrics…</p>}
      <GapLegend gaps={common.gaps} from={common.from} to={common.to} />
      <div className="grid">
        <TimeChart title="CPU" {...common} format={(v) => formatPercent(v)} series={series.cpu} />
        <TimeChart title="Memory" {...common} format={formatBytes} series={series.memory} />
        <TimeChart title="Network" {...common} format={formatRate} series={series.network} />
        <TimeChart title="Block I/O" {...common} format={formatRate} series={series.block} />
      </div>
    </section>
  );
}
