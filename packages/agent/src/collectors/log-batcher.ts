import type { Delivery } from '../delivery.js';
import type { Log } from '../log.js';
import { Batcher } from './batcher.js';
import type { LogCursors } from './log-cursors.js';
import type { EngineLogLine } from './log-demux.js';

/** Log lines of all containers as `logs` frames; the cursors advance once the lines are spooled. */
export class LogBatcher extends Batcher<EngineLogLine> {
  constructor(delivery: Delivery, cursors: LogCursors, flushMs: number, log: Log, maxLines = 100_000) {
    super(delivery, log, {
      type: 'logs',
      flushMs,
      noun: 'log line',
      maxItems: maxLines,
      spooled: async (lines) => {
        for (const line of lines) cursors.advance(line);
        await cursors.save();
      },
    });
  }
}
