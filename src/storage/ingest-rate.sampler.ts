import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { BatchingBuffer } from '../buffer/batching-buffer.js';
import { startInterval, stopInterval } from '../common/intervals.js';

/** The span rates are measured over. */
export const RATE_WINDOW_MS = 60_000;
const SAMPLE_MS = 5_000;
const SAMPLER = 'ingest-rate-sample';

interface Sample {
  at: number;
  /** Rows flushed so far, per kind. */
  flushed: Record<string, number>;
}

export interface IngestRate {
  rowsPerSecond: number;
  kinds: Record<string, number>;
  windowSeconds: number;
}

/**
 * Rows committed per second over the last minute, from the buffer's cumulative flushed-row
 * counters sampled every few seconds: a recent rate, not an average since boot.
 */
@Injectable()
export class IngestRateSampler implements OnModuleInit, OnModuleDestroy {
  private samples: Sample[] = [];

  /** Monotonic milliseconds; replaceable in unit tests. */
  clock: () => number = () => performance.now();

  constructor(
    private readonly buffer: BatchingBuffer,
    private readonly schedules: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.sample();
    startInterval(this.schedules, SAMPLER, SAMPLE_MS, () => this.sample());
  }

  onModuleDestroy(): void {
    stopInterval(this.schedules, SAMPLER);
  }

  /** Records the counters now and forgets samples that fell out of the window. */
  sample(): void {
    const now = this.clock();
    this.samples.push({ at: now, flushed: this.flushed() });
    // Keep the newest sample older than the window, so the rate always spans a full window once one has passed.
    while (this.samples.length > 1 && this.samples[1].at <= now - RATE_WINDOW_MS) this.samples.shift();
  }

  /** From the oldest sample in the window to the counters right now. */
  rate(): IngestRate {
    const now = this.clock();
    const current = this.flushed();
    const base = this.samples[0] ?? { at: now, flushed: current };
    // At least a second, so a burst just after start-up is not blown up into a huge rate.
    const seconds = Math.max(1, (now - base.at) / 1000);
    const kinds: Record<string, number> = {};
    let total = 0;
    for (const [kind, rows] of Object.entries(current)) {
      const delta = Math.max(0, rows - (base.flushed[kind] ?? 0));
      kinds[kind] = delta / seconds;
      total += delta;
    }
    return { rowsPerSecond: total / seconds, kinds, windowSeconds: Math.round(seconds) };
  }

  private flushed(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.buffer.stats()).map(([kind, stats]) => [kind, stats.flushedRows]));
  }
}
