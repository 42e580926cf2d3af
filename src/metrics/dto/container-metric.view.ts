import { ApiProperty } from '@nestjs/swagger';
import { AvgMax } from '../../time-series/avg-max.view.js';
import type { ContainerBucketRow } from '../metrics-query.repository.js';

/** One raw container sample; counters are cumulative, as the agent reported them. */
export class ContainerMetricSample {
  @ApiProperty({ description: 'Sample time, ISO 8601 UTC.', example: '2026-11-23T10:05:17.000Z' }) ts: string;
  @ApiProperty({ description: 'Percent of one CPU (up to 100 × cores).' }) cpuPercent: number;
  @ApiProperty({ description: 'Bytes.' }) memoryUsed: number;
  @ApiProperty({ description: 'Bytes.' }) memoryLimit: number;
  @ApiProperty({ description: 'Cumulative bytes received.' }) networkRx: number;
  @ApiProperty({ description: 'Cumulative bytes sent.' }) networkTx: number;
  @ApiProperty({ description: 'Cumulative bytes read from block devices.' }) blockRead: number;
  @ApiProperty({ description: 'Cumulative bytes written to block devices.' }) blockWrite: number;
  @ApiProperty() pids: number;
}

export class ContainerMetricHistorySample extends ContainerMetricSample {
  @ApiProperty({ description: 'The container’s API id.' }) containerId: string;
  @ApiProperty() hostId: string;
}

const DELTA = 'Sum of the per-sample increases in the bucket; a counter reset (restart) counts from zero, never negative.';

/** One bucket of container samples. */
export class ContainerMetricBucket {
  @ApiProperty({ description: 'Bucket start, ISO 8601 UTC.', example: '2026-11-23T10:05:00.000Z' }) ts: string;
  @ApiProperty({ description: 'Samples in the bucket.' }) samples: number;
  @ApiProperty({ description: 'CPU percent.' }) cpu: AvgMax;
  @ApiProperty({ description: 'Memory used, bytes.' }) memory: AvgMax;
  @ApiProperty({ description: `Bytes received. ${DELTA}` }) networkRx: number;
  @ApiProperty({ description: `Bytes sent. ${DELTA}` }) networkTx: number;
  @ApiProperty({ description: `Bytes read. ${DELTA}` }) blockRead: number;
  @ApiProperty({ description: `Bytes written. ${DELTA}` }) blockWrite: number;
}

export function toContainerBucket(row: ContainerBucketRow): ContainerMetricBucket {
  return {
    ts: row.ts,
    samples: row.samples,
    cpu: { avg: row.cpuAvg, max: row.cpuMax },
    memory: { avg: row.memoryAvg, max: row.memoryMax },
    networkRx: row.networkRx,
    networkTx: row.networkTx,
    blockRead: row.blockRead,
    blockWrite: row.blockWrite,
  };
}
