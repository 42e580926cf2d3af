import { counterRate } from '../../charts/useMetrics';

export interface HostSample {
  ts: string;
  cpuPercent: number;
  load1: number;
  load5: number;
  load15: number;
  memoryUsed: number;
  memoryTotal: number;
  diskUsed: number;
  diskTotal: number;
  networkRx: number;
  networkTx: number;
}

interface AvgMax {
  avg: number;
  max: number;
}

export interface HostBucket {
  ts: string;
  cpu: AvgMax;
  load1: number;
  load5: number;
  load15: number;
  memory: AvgMax & { total: number };
  disk: { last: number; max: number; total: number };
  networkRx: number;
  networkTx: number;
}

export interface HostPoint {
  t: number;
  cpu: number;
  load1: number;
  load5: number;
  load15: number;
  memoryUsed: number;
  memoryTotal: number;
  diskUsed: number;
  diskTotal: number;
  rxRate: number | null;
  txRate: number | null;
}

export function hostPointsFromRaw(samples: HostSample[], previous?: HostSample): HostPoint[] {
  return samples.map((sample, i) => {
    const before = i ? samples[i - 1] : previous;
    const seconds = before ? (Date.parse(sample.ts) - Date.parse(before.ts)) / 1000 : 0;
    return {
      t: Date.parse(sample.ts),
      cpu: sample.cpuPercent,
      load1: sample.load1,
      load5: sample.load5,
      load15: sample.load15,
      memoryUsed: sample.memoryUsed,
      memoryTotal: sample.memoryTotal,
      diskUsed: sample.diskUsed,
      diskTotal: sample.diskTotal,
      rxRate: counterRate(sample.networkRx, before?.networkRx, seconds),
      txRate: counterRate(sample.networkTx, before?.networkTx, seconds),
    };
  });
}

export function hostPointsFromBuckets(rows: HostBucket[], stepMs: number): HostPoint[] {
  return rows.map((row) => ({
    t: Date.parse(row.ts),
    cpu: row.cpu.avg,
    load1: row.load1,
    load5: row.load5,
    load15: row.load15,
    memoryUsed: row.memory.avg,
    memoryTotal: row.memory.total,
    diskUsed: row.disk.last,
    diskTotal: row.disk.total,
    rxRate: row.networkRx / (stepMs / 1000),
    txRate: row.networkTx / (stepMs / 1000),
  }));
}
