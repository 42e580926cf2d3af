import { ApiProperty } from '@nestjs/swagger';
import { AvgMax } from '../../time-series/avg-max.view.js';
import type { HostBucketRow } from '../host-metrics-query.repository.js';

/** One raw host sample; network counters are cumulative. */
export class HostMetricSample {
  @ApiProperty({ description: 'Sample time, ISO 8601 UTC.', example: '2026-11-23T10:05:17.000Z' }) ts: string;
  @ApiProperty({ description: 'Percent of the whole machine (0–100).' }) cpuPercent: number;
  @ApiProperty() load1: number;
  @ApiProperty() load5: number;
  @ApiProperty() load15: number;
  @ApiProperty({ description: 'Bytes.' }) memoryUsed: number;
  @ApiProperty({ description: 'Bytes.' }) memoryTotal: number;
  @ApiProperty({ description: 'Bytes.' }) diskUsed: number;
  @ApiProperty({ description: 'Bytes.' }) diskTotal: number;
  @ApiProperty({ description: 'Cumulative bytes received.' }) networkRx: number;
  @ApiProperty({ description: 'Cumulative bytes sent.' }) networkTx: number;
}

export class HostMemoryAggregate extends AvgMax {
  @ApiProperty({ description: 'Largest memory total reported in the bucket.' }) total: number;
}

export class HostDiskAggregate {
  @ApiProperty({ description: 'Disk used by the bucket’s last sample, bytes.' }) last: number;
  @ApiProperty({ description: 'Largest disk used in the bucket, bytes.' }) max: number;
  @ApiProperty({ description: 'Largest disk total reported in the bucket.' }) total: number;
}

const DELTA = 'Sum of the per-sample increases in the bucket; a counter reset counts from zero, never negative.';

/** One bucket of host samples. */
export class HostMetricBucket {
  @ApiProperty({ description: 'Bucket start, ISO 8601 UTC.', example: '2026-11-23T10:05:00.000Z' }) ts: string;
  @ApiProperty({ description: 'Samples in the bucket.' }) samples: number;
  @ApiProperty({ description: 'CPU percent.' }) cpu: AvgMax;
  @ApiProperty({ description: 'Mean 1-minute load average.' }) load1: number;
  @ApiProperty({ description: 'Mean 5-minute load average.' }) load5: number;
  @ApiProperty({ description: 'Mean 15-minute load average.' }) load15: number;
  @ApiProperty({ description: 'Memory used, bytes.' }) memory: HostMemoryAggregate;
  @ApiProperty({ description: 'Disk used, bytes.' }) disk: HostDiskAggregate;
  @ApiProperty({ description: `Bytes received. ${DELTA}` }) networkRx: number;
  @ApiProperty({ description: `Bytes sent. ${DELTA}` }) networkTx: number;
}

export function toHostBucket(row: HostBucketRow): HostMetricBucket {
  return {
    ts: row.ts,
    samples: row.samples,
    cpu: { avg: row.cpuAvg, max: row.cpuMax },
    load1: row.load1,
    load5: row.load5,
    load15: row.load15,
    memory: { avg: row.memoryAvg, max: row.memoryMax, total: row.memoryTotal },
    disk: { last: row.diskLast, max: row.diskMax, total: row.diskTotal },
    networkRx: row.networkRx,
    networkTx: row.networkTx,
  };
}
