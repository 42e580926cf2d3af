import { liveMetricJson } from './metrics.service.js';
import type { ContainerMetricRow } from './metrics.repository.js';

/** What the item was before it was written as a template: an object, stringified. */
const asObject = (row: ContainerMetricRow) =>
  JSON.stringify({
    containerId: row.container_id,
    ts: row.ts,
    cpuPercent: row.cpu_percent,
    memoryUsed: row.memory_used,
    memoryLimit: row.memory_limit,
    networkRx: row.network_rx,
    networkTx: row.network_tx,
    blockRead: row.block_read,
    blockWrite: row.block_write,
    pids: row.pids,
  });

describe('liveMetricJson', () => {
  it('writes exactly what JSON.stringify writes, for every value a validated sample can hold', () => {
    const edges = [0, 1, 0.1, 12.345678901234567, 99_999.99, 1e-7, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER, 1e21, 1.5e300];
    for (let i = 0; i < 2_000; i++) {
      const pick = (k: number) => (i % 3 === 0 ? edges[(i + k) % edges.length] : Math.random() * 10 ** ((i + k) % 16));
      const row: ContainerMetricRow = {
        host_id: 'ignored',
        container_id: '0b7f8c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e',
        ts: new Date(1.79e12 + i * 997).toISOString(),
        cpu_percent: pick(0),
        memory_used: Math.floor(pick(1)),
        memory_limit: Math.floor(pick(2)),
        network_rx: Math.floor(pick(3)),
        network_tx: Math.floor(pick(4)),
        block_read: Math.floor(pick(5)),
        block_write: Math.floor(pick(6)),
        pids: Math.floor(pick(7)) % 2 ** 31,
      };
      expect(liveMetricJson(row)).toBe(asObject(row));
    }
  });
});
