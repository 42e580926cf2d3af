import { counterRate } from '../../charts/useMetrics';

export interface ContainerSample {
  ts: string;
  cpuPercent: number;
  memoryUsed: number;
  memoryLimit: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
}

interface AvgMax {
  avg: number;
  max: number;
}

export interface ContainerBucket {
  ts: string;
  cpu: AvgMax;
  memory: AvgMax;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
}

export interface ContainerPoint {
  t: number;
  cpu: number;
  memoryUsed: number;
  /** Only raw samples carry the limit. */
  memoryLimit: number | null;
  rxRate: number | null;
  txRate: number | null;
  readRate: number | null;
  writeRate: number | null;
}

export function containerPointsFromRaw(samples: ContainerSample[], previous?: ContainerSample): ContainerPoint[] {
  return samples.map((sample, i) => {
    const before = i ? samples[i - 1] : previous;
    const seconds = before ? (Date.parse(sample.ts) - Date.parse(before.ts)) / 1000 : 0;
    return {
      t: Date.parse(sample.ts),
      cpu: sample.cpuPercent,
      memoryUsed: sample.memoryUsed,
      memoryLimit: sample.memoryLimit,
      rxRate: counterRate(sample.networkRx, before?.networkRx, seconds),
      txRate: counterRate(sample.networkTx, before?.networkTx, seconds),
      readRate: counterRate(sample.blockRead, before?.blockRead, seconds),
      writeRate: counterRate(sample.blockWrite, before?.blockWrite, seconds),
    };
  });
}

export function containerPointsFromBuckets(rows: ContainerBucket[], stepMs: number): ContainerPoint[] {
  const seconds = stepMs / 1000;
  return rows.map((row) => ({
    t: Date.parse(row.ts),
    cpu: row.cpu.avg,
    memoryUsed: row.memory.avg,
    memoryLimit: null,
    rxRate: row.networkRx / seconds,
    txRate: row.networkTx / seconds,
    readRate: row.blockRead / seconds,
    writeRate: row.blockWrite / seconds,
  }));
}
