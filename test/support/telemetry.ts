import { randomBytes } from 'node:crypto';

/** A fresh full-length Docker id. */
export const dockerId = () => randomBytes(32).toString('hex');

export const metric = (containerId: string, ts: number | string, overrides: Record<string, unknown> = {}) => ({
  containerId,
  ts,
  cpuPercent: 12.5,
  memoryUsed: 100_000_000,
  memoryLimit: 2_000_000_000,
  networkRx: 1_000,
  networkTx: 2_000,
  blockRead: 3_000,
  blockWrite: 4_000,
  pids: 7,
  ...overrides,
});

export const hostMetric = (ts: number | string, overrides: Record<string, unknown> = {}) => ({
  ts,
  cpuPercent: 33.3,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  memoryUsed: 4_000_000_000,
  memoryTotal: 16_000_000_000,
  diskUsed: 50_000_000_000,
  diskTotal: 500_000_000_000,
  networkRx: 123_456,
  networkTx: 654_321,
  ...overrides,
});

export const logLine = (containerId: string, ts: number | string, line: string, stream = 'stdout') => ({ containerId, ts, stream, line });

export const processInfo = (pid: number, overrides: Record<string, unknown> = {}) => ({
  pid,
  ppid: 1,
  name: `proc-${pid}`,
  command: `/usr/bin/proc-${pid} --serve`,
  user: 'root',
  cpuPercent: 1.5,
  memoryRss: 10_000_000,
  memoryPercent: 0.5,
  threads: 4,
  state: 'S',
  ...overrides,
});

export const container = (id: string, overrides: Record<string, unknown> = {}) => ({
  dockerId: id,
  name: `/app-${id.slice(0, 6)}`,
  image: 'nginx:1.27',
  imageId: `sha256:${'ab'.repeat(32)}`,
  command: 'nginx -g daemon off;',
  state: 'running',
  status: 'Up 5 minutes',
  ports: [{ privatePort: 80, publicPort: 8080, type: 'tcp' }],
  labels: { app: 'web' },
  startedAt: new Date(Date.now() - 300_000).toISOString(),
  ...overrides,
});
