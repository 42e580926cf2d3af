import { ApiProperty } from '@nestjs/swagger';
import type { ProcessSampleRow } from '../processes-query.repository.js';

/** What a sample says about a process at one moment. */
export class ProcessStateView {
  @ApiProperty() ppid: number;
  @ApiProperty() name: string;
  @ApiProperty() command: string;
  @ApiProperty() user: string;
  @ApiProperty({ description: 'Percent of one CPU (up to 100 × cores).' }) cpuPercent: number;
  @ApiProperty({ description: 'Resident memory, bytes.' }) memoryRss: number;
  @ApiProperty({ description: 'Percent of the host’s memory.' }) memoryPercent: number;
  @ApiProperty() threads: number;
  @ApiProperty({ description: 'Process state as the agent reports it (R, S, D, Z …).' }) state: string;
}

export class ProcessView extends ProcessStateView {
  @ApiProperty() pid: number;
}

export class ProcessSnapshotView {
  @ApiProperty({ type: String, nullable: true, description: 'When the snapshot was taken, ISO 8601 UTC; null when there is none.' }) ts: string | null;
  @ApiProperty({ type: ProcessView, isArray: true, description: 'Every process of the snapshot, by pid.' }) processes: ProcessView[];
}

export class ProcessSampleView extends ProcessStateView {
  @ApiProperty({ description: 'Snapshot time, ISO 8601 UTC.' }) ts: string;
}

export class ProcessHistoryView {
  @ApiProperty() pid: number;
  @ApiProperty({ type: ProcessSampleView, isArray: true, description: 'Newest first.' }) samples: ProcessSampleView[];
}

function state(row: ProcessSampleRow): ProcessStateView {
  const { ppid, name, command, user, cpuPercent, memoryRss, memoryPercent, threads, state } = row;
  return { ppid, name, command, user, cpuPercent, memoryRss, memoryPercent, threads, state };
}

export function toSnapshotView(rows: ProcessSampleRow[]): ProcessSnapshotView {
  return { ts: rows.length ? rows[0].ts.toISOString() : null, processes: rows.map((row) => ({ pid: row.pid, ...state(row) })) };
}

export function toHistoryView(pid: number, rows: ProcessSampleRow[]): ProcessHistoryView {
  return { pid, samples: rows.map((row) => ({ ts: row.ts.toISOString(), ...state(row) })) };
}
