import { useEffect, useState } from 'react';
import { api, withQuery } from '../../api';
import type { HostBucket } from './fleet-types';

export interface HostSummary {
  times: number[];
  cpu: number[];
  memory: number[];
  runningContainers?: number;
  firingAlerts?: number;
  moreFiring?: boolean;
}

const HOUR_MS = 3_600_000;

/** The last hour of CPU and memory per minute, running containers and firing alerts of one host. */
export function useHostSummary(hostId: string, refreshKey: unknown): HostSummary | undefined {
  const [summary, setSummary] = useState<HostSummary>();
  useEffect(() => {
    let current = true;
    const from = new Date(Date.now() - HOUR_MS).toISOString();
    Promise.allSettled([
      api<HostBucket[]>('GET', withQuery(`/api/hosts/${hostId}/metrics`, { bucket: '1m', from })),
      api<unknown[]>('GET', withQuery(`/api/hosts/${hostId}/containers`, { state: 'running' })),
      api<{ items: unknown[]; nextCursor: string | null }>('GET', withQuery('/api/alerts', { state: 'firing', hostId, limit: 100 })),
    ]).then(([metrics, containers, alerts]) => {
      if (!current) return;
      const buckets = metrics.status === 'fulfilled' ? [...metrics.value].sort((a, b) => a.ts.localeCompare(b.ts)) : [];
      setSummary({
        times: buckets.map((bucket) => new Date(bucket.ts).getTime() / 1000),
        cpu: buckets.map((bucket) => bucket.cpu.avg),
        memory: buckets.map((bucket) => (bucket.memory.total ? (100 * bucket.memory.avg) / bucket.memory.total : 0)),
        runningContainers: containers.status === 'fulfilled' ? containers.value.length : undefined,
        firingAlerts: alerts.status === 'fulfilled' ? alerts.value.items.length : undefined,
        moreFiring: alerts.status === 'fulfilled' && Boolean(alerts.value.nextCursor),
      });
    });
    return () => {
      current = false;
    };
  }, [hostId, refreshKey]);
  return summary;
}
