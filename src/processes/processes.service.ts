import { Injectable } from '@nestjs/common';
import { cleanText } from '../common/clean-text.js';
import { parseTimestamp, toMillisIso } from '../common/timestamp.js';
import { FrameRejectedError, type AgentContext, type FrameHandler } from '../ingest/frame-handler.js';
import { HandlesKind } from '../ingest/telemetry-kind.js';
import { TelemetryKinds } from '../ingest/telemetry-kinds.js';
import { keepWithinRetention } from '../ingest/time-window.js';
import type { ProcessesFrameDto } from './dto/processes-frame.dto.js';
import { PROCESSES_KIND } from './processes.kind.js';
import { ProcessesRepository, type ProcessRow } from './processes.repository.js';

const ROW_BYTES = 300;

/** `processes` frames: one snapshot of the host's process table, all stamped with the frame's `ts`. */
@Injectable()
@HandlesKind(PROCESSES_KIND)
export class ProcessesService implements FrameHandler<ProcessesFrameDto> {
  private readonly type = PROCESSES_KIND.type;
  private readonly retentionMs: number;

  constructor(
    private readonly kinds: TelemetryKinds,
    readonly sink: ProcessesRepository,
  ) {
    this.retentionMs = kinds.retentionMs(PROCESSES_KIND);
  }

  async handle(agent: AgentContext, frame: ProcessesFrameDto): Promise<void> {
    const seen = new Set<number>();
    frame.data.forEach((p, index) => {
      if (seen.has(p.pid)) throw new FrameRejectedError('A snapshot names a pid twice', [{ path: `data[${index}].pid`, message: `data[${index}].pid ${p.pid} appears twice` }]);
      seen.add(p.pid);
    });
    const stamp = parseTimestamp(frame.ts)!;
    if (keepWithinRetention([stamp], this.retentionMs, () => 'ts').expired) {
      this.kinds.expired(this.type, frame.data.length);
      return this.kinds.store(this.type, [], 0);
    }
    const ts = toMillisIso(stamp);
    const rows = frame.data.map(
      (p): ProcessRow => ({
        host_id: agent.hostId,
        ts,
        pid: p.pid,
        ppid: p.ppid,
        name: cleanText(p.name),
        command: cleanText(p.command),
        user: cleanText(p.user),
        cpu_percent: p.cpuPercent,
        memory_rss: p.memoryRss,
        memory_percent: p.memoryPercent,
        threads: p.threads,
        state: cleanText(p.state),
      }),
    );
    await this.kinds.store(this.type, rows, rows.length * ROW_BYTES);
  }
}
